package com.example.consumer;

import dev.echo4j.env.EpisodeLimits;
import dev.echo4j.env.SandboxConfig;
import dev.echo4j.env.StepResult;
import dev.echo4j.env.TerminalEnvironment;
import dev.echo4j.objective.EchoConfig;
import dev.echo4j.objective.EchoObjective;
import dev.echo4j.objective.ObjectiveBatch;
import dev.echo4j.samediff.Dl4jLogging;
import dev.echo4j.task.Task;
import dev.echo4j.tokenizer.ByteTokenizer;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.transcript.RenderedTranscript;
import dev.echo4j.transcript.TranscriptRenderer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** A user's program: one sandboxed episode through echo4j's environment, then one ECHO update of its own model. */
public class Main {

    public static void main(String[] args) throws Exception {
        // 1. A one-file task in Harbor's layout, played by a scripted agent in the bubblewrap sandbox.
        Path task = Files.createTempDirectory("echo4j-consumer");
        Files.createDirectories(task.resolve("environment/app"));
        Files.createDirectories(task.resolve("tests"));
        Files.writeString(task.resolve("instruction.md"), "Write the word hello to /app/out.txt.\n");
        Files.writeString(task.resolve("task.toml"), "[agent]\ntimeout_sec = 60\n[verifier]\ntimeout_sec = 10\n");
        Files.writeString(task.resolve("tests/test.sh"), "mkdir -p /logs/verifier\n"
                + "grep -qx hello /app/out.txt && echo 1 > /logs/verifier/reward.txt || echo 0 > /logs/verifier/reward.txt\n");
        RenderedTranscript episode;
        try (TerminalEnvironment env = new TerminalEnvironment(Task.load(task), SandboxConfig.defaults(),
                new EpisodeLimits(4, Duration.ofSeconds(10), Duration.ofSeconds(60)))) {
            env.reset();
            for (String turn : new String[] {"<bash>echo hello > out.txt && cat out.txt</bash>", "<done/>"}) {
                StepResult step = env.step(turn);
                System.out.printf("agent: %s%nterminal: %s%n", turn, step.observation().text());
            }
            System.out.printf("episode ended (%s), reward %.1f%n", env.endReason(), env.reward());
            episode = new TranscriptRenderer(new ChatTemplate(new ByteTokenizer())).render(env.transcript());
        }
        try (Stream<Path> files = Files.walk(task)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }

        // 2. The user's own causal LM over the byte tokenizer's ids [B,T] -> logits [B,T,V].
        int vocab = new ByteTokenizer().vocabSize();
        SameDiff sd = SameDiff.create();
        SDVariable ids = sd.placeHolder("input_ids", DataType.INT32, -1, -1);
        SDVariable w = sd.var("w", Nd4j.randn(DataType.FLOAT, vocab, vocab).muli(0.01));
        SDVariable logitsShape = sd.concat(0, sd.shape(ids), sd.constant(Nd4j.createFromArray((long) vocab)));
        SDVariable logits = sd.oneHot(ids.reshape(-1), vocab, -1, 1.0, 0.0, DataType.FLOAT).mmul(w).reshape(logitsShape);
        EchoObjective echo = EchoObjective.attach(sd, logits, vocab, EchoConfig.DEFAULTS);

        // 3. The episode as one training row: each token predicts the next, with the role of the token it predicts.
        // A lone rollout is its own group, so its advantage is 0: the policy term is silent and only ECHO's
        // terminal-output term teaches, which is what ECHO adds to GRPO.
        int n = episode.length() - 1;
        INDArray input = Nd4j.createFromArray(new int[][] {Arrays.copyOfRange(episode.ids(), 0, n)});
        INDArray targets = Nd4j.createFromArray(new int[][] {Arrays.copyOfRange(episode.ids(), 1, n + 1)});
        INDArray roles = Nd4j.createFromArray(new int[][] {Arrays.copyOfRange(episode.roles(), 1, n + 1)});
        INDArray advantages = Nd4j.createFromArray(0f);
        long[] shape = {1, n, vocab};
        Map<String, INDArray> feeds = new HashMap<>(echo.placeholders(
                new ObjectiveBatch(targets, roles, advantages, Nd4j.zeros(DataType.FLOAT, 1, n), null), shape));
        feeds.put("input_ids", input);
        INDArray sampledLogp = sd.output(feeds, EchoObjective.LOGP).get(EchoObjective.LOGP);   // on-policy old_logp
        feeds.putAll(echo.placeholders(new ObjectiveBatch(targets, roles, advantages, sampledLogp, null), shape));

        // 4. One Adam update of the ECHO loss with SameDiff's own fit loop.
        String[] names = feeds.keySet().toArray(String[]::new);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(0.01)).dataSetFeatureMapping(names)
                .markLabelsUnused().build());
        report("before", sd.output(feeds, EchoObjective.LOSS, EchoObjective.ENV_CE));
        MultiDataSet batch = new MultiDataSet(Arrays.stream(names).map(feeds::get).toArray(INDArray[]::new), new INDArray[0]);
        Dl4jLogging.quietly(() -> sd.fit(batch));   // SameDiff prints each differentiated op on System.out
        report("after one update", sd.output(feeds, EchoObjective.LOSS, EchoObjective.ENV_CE));
    }

    private static void report(String when, Map<String, INDArray> m) {
        System.out.printf("%s: loss %.4f, env_ce %.4f nats/token%n", when,
                m.get(EchoObjective.LOSS).getDouble(0), m.get(EchoObjective.ENV_CE).getDouble(0));
    }
}
