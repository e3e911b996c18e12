package dev.echo4j.tune;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.eval.EvalResult;
import dev.echo4j.eval.Evaluator;
import dev.echo4j.eval.HeldoutSuite;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.train.EchoTrainer;
import dev.echo4j.train.RunDirectory;
import dev.echo4j.train.TrainConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An echo4j candidate: the base training config with the fixed settings and the drawn values, a short
 * GRPO / ECHO run with {@link EchoTrainer} in the candidate's run folder (config, metrics, curves, checkpoint),
 * then pass@1, pass@k and env cross-entropy on the held-out suite. A non-finite loss (in training or in the
 * held-out env cross-entropy) or a policy collapsed to empty actions is a {@link TrialFailure}.
 */
public final class EchoTrial implements Trial {

    private static final Logger LOG = LoggerFactory.getLogger(EchoTrial.class);

    /** Generated tokens per agent turn at or below which every action is empty (only the end-of-turn token). */
    static final double COLLAPSE_TOKENS_PER_TURN = 1.0;

    private final String baseConfig;
    private final List<String> fixedOverrides;
    private final Path tasksRoot;
    private final SandboxConfig sandbox;

    public EchoTrial(String baseConfig, List<String> fixedOverrides, Path tasksRoot, SandboxConfig sandbox) {
        this.baseConfig = baseConfig;
        this.fixedOverrides = List.copyOf(fixedOverrides);
        this.tasksRoot = tasksRoot;
        this.sandbox = sandbox;
    }

    /** The candidate's training config; a parameter name {@code a,b} sets both keys. */
    public TrainConfig config(Map<String, Object> values) {
        List<String> overrides = new ArrayList<>(fixedOverrides);
        values.forEach((name, value) -> {
            for (String key : SearchSpec.settingKeys(name)) {
                overrides.add(key + "=" + SearchSpec.json(value));
            }
        });
        return TrainConfig.load(baseConfig, overrides);
    }

    @Override
    public Map<String, Double> run(Map<String, Object> values, Path runDir) {
        TrainConfig cfg = config(values);
        RunDirectory run = new RunDirectory(runDir, tasksRoot);
        try (EchoTrainer trainer = new EchoTrainer(cfg, run, sandbox, true)) {
            LOG.info("{}: {} for {} steps", runDir.getFileName(), values, cfg.steps());
            int rollouts = cfg.promptsPerStep() * cfg.groupSize();
            try {
                trainer.train((step, m) -> check(step, m, rollouts), () -> false);
            } catch (IllegalStateException e) {
                // e.g. AdamW refusing a non-finite gradient norm ("the loss diverged")
                throw new TrialFailure("training stopped at step " + (trainer.completedSteps() + 1) + ": " + e.getMessage());
            }
            HeldoutSuite heldout = HeldoutSuite.prepare(tasksRoot, cfg.tasks(), sandbox, cfg.rollout(), i -> { });
            EvalResult r = new Evaluator(trainer.optimizer(), new ChatTemplate(trainer.tokenizer()), sandbox, cfg.rollout())
                    .evaluate(heldout.tasks(), heldout.transcripts(), cfg.eval());
            if (!Double.isFinite(r.envCrossEntropy())) {
                throw new TrialFailure("nan: held-out env cross-entropy is " + r.envCrossEntropy() + " after training (the weights diverged)");
            }
            return r.metrics();
        }
    }

    /** Fails the trial on the first step with a non-finite loss or with empty actions everywhere. */
    static void check(long step, Map<String, Object> m, int rollouts) {
        for (String key : List.of("loss", "policy_loss", "env_ce")) {
            if (m.get(key) instanceof Number v && !Double.isFinite(v.doubleValue())) {
                throw new TrialFailure("nan: " + key + " = " + v + " at step " + step);
            }
        }
        if (m.get("tokens_generated") instanceof Number tokens && m.get("turns_mean") instanceof Number turns) {
            double perTurn = tokens.doubleValue() / Math.max(1e-9, turns.doubleValue() * rollouts);
            if (perTurn <= COLLAPSE_TOKENS_PER_TURN) {
                throw new TrialFailure(String.format(Locale.ROOT,
                        "collapse: %.2f generated tokens per turn at step %d (actions are empty)", perTurn, step));
            }
        }
    }
}
