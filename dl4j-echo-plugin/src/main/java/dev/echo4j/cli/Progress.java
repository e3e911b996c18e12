package dev.echo4j.cli;

import java.text.DecimalFormat;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar (rate and ETA) on stderr, with the latest metrics as its message: redrawn in place on a terminal;
 * into a file or pipe, one full line of at most 80 characters every 30 seconds at most, so that a log stays readable.
 */
final class Progress implements AutoCloseable {

    private static final int LOG_WIDTH = 80;

    private final ProgressBar bar;

    Progress(String task, long total, long done) {
        boolean terminal = System.console() != null;
        ProgressBarConsumer consumer = terminal ? new ConsoleProgressBarConsumer(System.err)
                : new DelegatingProgressBarConsumer(System.err::println, LOG_WIDTH);
        this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).startsFrom(done, Duration.ZERO)
                .setStyle(ProgressBarStyle.ASCII).setMaxRenderedLength(150).setUpdateIntervalMillis(terminal ? 500 : 30_000)
                .showSpeed(new DecimalFormat("0.0")).setSpeedUnit(ChronoUnit.MINUTES).setUnit(" steps", 1)
                .setConsumer(consumer).build();
    }

    void step(long done, Map<String, Object> metrics, String... keys) {
        bar.stepTo(done);
        bar.setExtraMessage(" " + message(metrics, keys));
    }

    /** One more step of one of several runs that share this bar (thread-safe), labelled with its run. */
    synchronized void advance(String label, long steps, Map<String, Object> metrics, String... keys) {
        bar.stepBy(steps);
        bar.setExtraMessage(" " + (label + " " + message(metrics, keys)).trim());
    }

    private static String message(Map<String, Object> metrics, String... keys) {
        StringBuilder message = new StringBuilder();
        for (String key : keys) {
            Object value = metrics.get(key);
            if (value instanceof Number n) {
                message.append(key.replace("_mean", "")).append('=').append(String.format("%.3f", n.doubleValue())).append(' ');
            }
        }
        return message.toString().trim();
    }

    @Override
    public void close() {
        bar.close();
    }
}
