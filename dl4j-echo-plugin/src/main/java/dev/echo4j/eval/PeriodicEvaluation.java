package dev.echo4j.eval;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.rollout.RolloutEngine;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.train.EchoTrainer;
import dev.echo4j.train.MetricsLog;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code eval.every}: the held-out evaluation every N steps while a run trains, one row per evaluation in the run's
 * {@code evaluations.jsonl} (kept once on resume, as the metrics are). A step's training reward mostly says which
 * tasks it drew; these rows are the learning curve on fixed tasks.
 */
public final class PeriodicEvaluation implements AutoCloseable {

    public static final String FILE = "evaluations.jsonl";

    private final EchoTrainer trainer;
    private final HeldoutSuite heldout;
    private final Evaluator evaluator;
    private final MetricsLog log;
    private long lastStep = -1;
    private EvalResult last;

    /** Prepares the held-out suite (from {@code heldout}) and the log only when {@code eval.every} asks for evaluations. */
    public PeriodicEvaluation(EchoTrainer trainer, Path runDir, Supplier<HeldoutSuite> heldout, SandboxConfig sandbox, RolloutEngine.Factory engines) {
        this.trainer = trainer;
        boolean on = trainer.config().eval().every() > 0;
        this.heldout = on ? heldout.get() : null;
        this.evaluator = on ? new Evaluator(trainer.optimizer(), new ChatTemplate(trainer.tokenizer()), sandbox, trainer.config().rollout(), engines) : null;
        this.log = on ? new MetricsLog(runDir.resolve(FILE), trainer.completedSteps()) : null;
    }

    /** {@code listener}, then the evaluation after every {@code eval.every}-th step. */
    public EchoTrainer.StepListener after(EchoTrainer.StepListener listener) {
        if (log == null) {
            return listener;
        }
        int every = trainer.config().eval().every();
        return (done, metrics) -> {
            listener.afterStep(done, metrics);
            if (done % every == 0) {
                last = evaluator.evaluate(heldout.tasks(), heldout.transcripts(), trainer.config().eval());
                lastStep = done;
                log.write(row(done, last));
            }
        };
    }

    /** The evaluation made after {@code step} in this process, so that a final evaluation of that step is not run twice. */
    public Optional<EvalResult> at(long step) {
        return step == lastStep ? Optional.of(last) : Optional.empty();
    }

    private static Map<String, Object> row(long step, EvalResult r) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step);
        row.putAll(r.metrics());
        return row;
    }

    @Override
    public void close() {
        if (log != null) {
            log.close();
        }
    }
}
