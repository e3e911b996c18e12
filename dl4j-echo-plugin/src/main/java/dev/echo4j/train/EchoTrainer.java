package dev.echo4j.train;

import dev.echo4j.model.ModelConfig;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.objective.EchoConfig;
import dev.echo4j.objective.GroupAdvantages;
import dev.echo4j.rollout.Rollout;
import dev.echo4j.rollout.RolloutEngine;
import dev.echo4j.rollout.TaskSets;
import dev.echo4j.samediff.OffHeapMemory;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.task.Task;
import dev.echo4j.task.suite.Split;
import dev.echo4j.tokenizer.ByteTokenizer;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.tokenizer.Tokenizer;
import dev.echo4j.env.SandboxConfig;
import dev.echo4j.transcript.TranscriptJsonl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GRPO with the ECHO objective on real sandboxed episodes. One step: draw tasks, roll out a group per
 * task, score with the verifier, compute group advantages, update the policy, log.
 */
public final class EchoTrainer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EchoTrainer.class);

    private final TrainConfig config;
    private final RunDirectory run;
    private final Tokenizer tokenizer;
    private final Qwen3Model model;
    private final PolicyOptimizer optimizer;
    private final RolloutEngine collector;
    private final List<Task> tasks;
    private final TrainingCheckpoints checkpoints;
    private final OffHeapMemory memory = new OffHeapMemory();
    private final ReferencePolicy reference;
    private long completedSteps;

    /**
     * Prepares a run in {@code run}: the base policy (or the latest checkpoint with {@code resume}), the
     * training tasks, and the objective attached to the policy.
     */
    public EchoTrainer(TrainConfig config, RunDirectory run, SandboxConfig sandbox, boolean resume) {
        this(config, run, sandbox, resume, RolloutEngine.Factory.LOCAL);
    }

    /** As {@link #EchoTrainer(TrainConfig, RunDirectory, SandboxConfig, boolean)}, playing the episodes on {@code engines}. */
    public EchoTrainer(TrainConfig config, RunDirectory run, SandboxConfig sandbox, boolean resume, RolloutEngine.Factory engines) {
        this.config = config;
        this.run = run;
        this.checkpoints = new TrainingCheckpoints(run.dir(), 2);
        TrainingCheckpoints.Saved saved = resume ? checkpoints.latest().orElse(null) : null;
        if (saved != null) {
            this.model = saved.policy().model();
            this.tokenizer = saved.policy().tokenizer();
            this.completedSteps = saved.step();
            LOG.info("resuming {} from step {}", run.dir(), completedSteps);
        } else if (config.baseCheckpoint() != null) {
            var base = dev.echo4j.model.Checkpoint.load(TrainingCheckpoints.policyDir(Path.of(config.baseCheckpoint())));
            this.model = base.model();
            this.tokenizer = base.tokenizer();
        } else {
            this.model = Qwen3Model.create(ModelConfig.load(config.model()), config.seed());
            this.tokenizer = new ByteTokenizer();
        }
        this.reference = config.effectiveObjective().klBeta() > 0 ? new ReferencePolicy(referenceModel(config, saved)) : null;
        this.optimizer = new PolicyOptimizer(model, config.effectiveObjective(), config.optimizer());
        if (saved != null) {
            optimizer.adamW().load(saved.optimizerState());
        }
        this.tasks = TaskSets.prepare(run.tasksRoot(), config.tasks().trainingSplit(), config.tasks().trainCount(), config.tasks().suiteSeed(),
                config.tasks().families());
        this.collector = engines.open(model, tokenizer, sandbox, config.rollout());
        config.save(run.dir().resolve("config.yaml"));
    }

    /** The KL reference: the run's starting policy (the base checkpoint, or the fresh model). */
    private Qwen3Model referenceModel(TrainConfig config, TrainingCheckpoints.Saved saved) {
        if (saved != null && config.baseCheckpoint() != null) {
            return dev.echo4j.model.Checkpoint.load(TrainingCheckpoints.policyDir(Path.of(config.baseCheckpoint()))).model();
        }
        if (saved != null) {
            return Qwen3Model.create(ModelConfig.load(config.model()), config.seed());
        }
        return model;
    }

    /** Runs the remaining steps; {@code stop} is polled between steps (Ctrl-C saves and returns). */
    public void train(StepListener listener, java.util.function.BooleanSupplier stop) {
        TranscriptJsonl.keepFirst(run.transcriptsFile(), episodesThrough(completedSteps));
        try (MetricsLog log = new MetricsLog(run.metricsFile(), completedSteps)) {
            while (completedSteps < config.steps() && !stop.getAsBoolean()) {
                Map<String, Object> metrics = step(completedSteps);
                completedSteps++;
                log.write(metrics);
                listener.afterStep(completedSteps, metrics);
                boolean last = completedSteps == config.steps();
                if (last || stop.getAsBoolean() || (config.checkpointEvery() > 0 && completedSteps % config.checkpointEvery() == 0)) {
                    checkpoint();
                }
            }
        }
        run.writeCurves();
    }

    /** Episodes played in the logged steps up to {@code step}: each step's transcripts are kept once on resume. */
    private long episodesThrough(long step) {
        try {
            return MetricsLog.read(run.metricsFile()).stream().filter(r -> ((Number) r.get("step")).longValue() <= step)
                    .mapToLong(r -> ((Number) r.getOrDefault("episodes", config.promptsPerStep() * config.groupSize())).longValue()).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + run.metricsFile(), e);
        }
    }

    /** One GRPO step: rollout -> score -> advantage -> update -> metrics. */
    Map<String, Object> step(long step) {
        List<Task> drawn = drawTasks(step);
        long t0 = System.nanoTime();
        List<Rollout> rollouts = rollout(drawn, step);
        double rolloutSeconds = (System.nanoTime() - t0) / 1e9;
        double[] rewards = score(rollouts);
        double[] advantages = advantages(rewards);
        long t1 = System.nanoTime();
        optimizer.objective().setLambda(lambdaAt(step));
        Map<String, Double> update = update(rollouts, advantages);
        double updateSeconds = (System.nanoTime() - t1) / 1e9;
        TranscriptJsonl.append(run.transcriptsFile(), rollouts.stream().map(Rollout::transcript).toList());
        memory.step();
        return metrics(step, rollouts, rewards, update, rolloutSeconds, updateSeconds);
    }

    /** {@code prompts_per_step} distinct tasks, a function of (seed, step) so that a resumed run draws the same. */
    List<Task> drawTasks(long step) {
        SplittableRandom random = new SplittableRandom(config.seed() * 1_000_003L + step);
        List<Task> pool = new ArrayList<>(tasks);
        List<Task> drawn = new ArrayList<>();
        for (int i = 0; i < config.promptsPerStep(); i++) {
            if (pool.isEmpty()) {
                pool.addAll(tasks);
            }
            drawn.add(pool.remove(random.nextInt(pool.size())));
        }
        return drawn;
    }

    private List<Rollout> rollout(List<Task> drawn, long step) {
        ChatTemplate template = new ChatTemplate(tokenizer);
        SamplingConfig sampling = config.sampling().toConfig(config.seed() * 7_919L + step * 1_000L,
                config.rollout().maxNewTokens(), List.of(template.endOfTurnId()));
        return collector.collect(drawn, config.groupSize(), sampling);
    }

    /** The scheduled lambda of a step (0 for GRPO, whose objective has no env term). */
    double lambdaAt(long step) {
        EchoConfig objective = config.effectiveObjective();
        return objective.lambdaSchedule().at(objective.lambda(), step);
    }

    private static double[] score(List<Rollout> rollouts) {
        return rollouts.stream().mapToDouble(Rollout::score).toArray();
    }

    private double[] advantages(double[] rewards) {
        return GroupAdvantages.ofFlat(rewards, config.groupSize(), config.advantageScale());
    }

    /**
     * {@code updates_per_step} optimizer updates over consecutive mini-batches of the step's rollouts, each
     * split into micro-batches of similar lengths (less padding) whose gradients are accumulated.
     */
    private Map<String, Double> update(List<Rollout> rollouts, double[] advantages) {
        int n = rollouts.size();
        int updates = config.updatesPerStep();
        int micro = config.optimizer().microBatchSize();
        Map<String, Double> sums = new LinkedHashMap<>();
        for (int u = 0; u < updates; u++) {
            List<Integer> order = new ArrayList<>();
            for (int i = u * n / updates; i < (u + 1) * n / updates; i++) {
                order.add(i);
            }
            order.sort(java.util.Comparator.comparingInt(i -> rollouts.get(i).length()));
            List<TrainingBatch> microBatches = new ArrayList<>();
            for (int from = 0; from < order.size(); from += micro) {
                List<Integer> chunk = order.subList(from, Math.min(order.size(), from + micro));
                TrainingBatch batch = TrainingBatch.of(chunk.stream().map(rollouts::get).toList(),
                        chunk.stream().mapToDouble(i -> advantages[i]).toArray());
                microBatches.add(reference == null ? batch : batch.withRefLogp(reference.logProbs(batch)));
            }
            optimizer.update(microBatches).forEach((k, v) -> sums.merge(k, v / updates, Double::sum));
        }
        return sums;
    }

    private Map<String, Object> metrics(long step, List<Rollout> rollouts, double[] rewards, Map<String, Double> update,
                                        double rolloutSeconds, double updateSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("step", step + 1);
        m.put("episodes", rollouts.size());
        m.put("reward_mean", java.util.Arrays.stream(rewards).average().orElse(0));
        m.put("pass_rate", java.util.Arrays.stream(rewards).filter(r -> r >= 1.0).count() / (double) rewards.length);
        m.putAll(update);
        m.put("lambda", optimizer.objective().lambda());
        double ratio = worldPolicyRatio(update);
        if (Double.isFinite(ratio)) {
            m.put("world_policy_loss_ratio", ratio);
        }
        m.put("tokens_generated", rollouts.stream().mapToLong(Rollout::generated).sum());
        m.put("turns_mean", rollouts.stream().mapToInt(r -> r.transcript().turns()).average().orElse(0));
        m.put("truncated", rollouts.stream().filter(Rollout::truncated).count());
        m.put("frac_reward_zero_std", zeroStdGroups(rewards));
        m.put("rollout_seconds", rolloutSeconds);
        m.put("update_seconds", updateSeconds);
        collector.lastPolicySend().ifPresent(send -> {
            m.put("policy_broadcast_seconds", send.seconds());
            m.put("policy_broadcast_bytes", send.bytes());
            m.put("policy_resent", send.resent());
        });
        return m;
    }

    /**
     * How much of the loss is the world model's: |lambda x env_loss| / |policy_coef x policy_loss| (the reference's
     * {@code world_policy_loss_ratio}); not logged when the policy term is exactly zero (every group's rewards equal).
     */
    private double worldPolicyRatio(Map<String, Double> update) {
        double world = Math.abs(optimizer.objective().lambda() * update.get("env_loss"));
        double policy = Math.abs(config.effectiveObjective().policyCoef() * update.get("policy_loss"));
        return policy == 0 ? Double.NaN : world / policy;
    }

    private double zeroStdGroups(double[] rewards) {
        int g = config.groupSize();
        int groups = rewards.length / g;
        int flat = 0;
        for (int i = 0; i < groups; i++) {
            double first = rewards[i * g];
            boolean same = true;
            for (int j = 1; j < g; j++) {
                same &= rewards[i * g + j] == first;
            }
            flat += same ? 1 : 0;
        }
        return flat / (double) groups;
    }

    /** Saves the current state as the run's latest checkpoint. */
    public Path checkpoint() {
        Path saved = checkpoints.save(completedSteps, model, tokenizer, optimizer.adamW(), config.toTree());
        LOG.info("checkpoint {}", saved);
        return saved;
    }

    public TrainConfig config() {
        return config;
    }

    public long completedSteps() {
        return completedSteps;
    }

    public Qwen3Model model() {
        return model;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public PolicyOptimizer optimizer() {
        return optimizer;
    }

    /** Called after each step with the number of completed steps and the step's metrics. */
    @FunctionalInterface
    public interface StepListener {
        void afterStep(long completedSteps, Map<String, Object> metrics);
    }

    @Override
    public void close() {
        collector.close();
    }
}
