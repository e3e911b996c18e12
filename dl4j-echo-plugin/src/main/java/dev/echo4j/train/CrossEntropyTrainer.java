package dev.echo4j.train;

import dev.echo4j.model.Qwen3Model;
import dev.echo4j.objective.EchoConfig;
import dev.echo4j.objective.EchoObjective;
import dev.echo4j.objective.EnvNormalization;
import dev.echo4j.samediff.OffHeapMemory;
import dev.echo4j.transcript.RenderedTranscript;
import dev.echo4j.transcript.TokenRole;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Next-token cross-entropy on chosen roles of rendered transcripts: {@code pretrain} (every role) and
 * {@code sft} (the agent's turns, optionally the terminal's output too). It reuses the objective's
 * cross-entropy branch: trained tokens are given the env role, the rest role 0, with policy_coef 0 and
 * lambda 1 over a token mean, which is exactly the mean cross-entropy of the trained tokens.
 */
public final class CrossEntropyTrainer {

    /** The objective set to the mean cross-entropy of the tokens given the env role. */
    public static final EchoConfig CROSS_ENTROPY = EchoConfig.DEFAULTS.withPolicyCoef(0).withLambda(1)
            .withEnvNormalization(EnvNormalization.TOKEN_MEAN);

    private final PolicyOptimizer optimizer;
    private final Set<TokenRole> trained;
    private final OffHeapMemory memory = new OffHeapMemory();

    public CrossEntropyTrainer(Qwen3Model model, OptimizerConfig optimizerConfig, Set<TokenRole> trained) {
        this.optimizer = new PolicyOptimizer(model, CROSS_ENTROPY, optimizerConfig);
        this.trained = Set.copyOf(trained);
    }

    /**
     * One update on a batch of {@code batchSize} windows of at most {@code window} tokens, drawn from
     * {@code data} by {@code random}; returns loss ({@code cross_entropy}), grad norm and lr.
     */
    public Map<String, Double> update(List<RenderedTranscript> data, int batchSize, int window, SplittableRandom random) {
        Map<String, Double> m = optimizer.update(batch(data, batchSize, window, random));
        memory.step();
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("cross_entropy", m.get(EchoObjective.ENV_CE));
        out.put("grad_norm", m.get("grad_norm"));
        out.put("lr", m.get("lr"));
        return out;
    }

    /** Mean cross-entropy (nats per trained token) on windows drawn by {@code random}, without updating. */
    public double evaluate(List<RenderedTranscript> data, int batchSize, int window, SplittableRandom random) {
        return optimizer.evaluate(batch(data, batchSize, window, random)).get(EchoObjective.ENV_CE);
    }

    private TrainingBatch batch(List<RenderedTranscript> data, int batchSize, int window, SplittableRandom random) {
        List<int[]> ids = new ArrayList<>();
        List<int[]> roles = new ArrayList<>();
        for (int i = 0; i < batchSize; i++) {
            RenderedTranscript t = data.get(random.nextInt(data.size()));
            int start = t.length() <= window ? 0 : random.nextInt(t.length() - window + 1);
            int end = Math.min(t.length(), start + window);
            ids.add(Arrays.copyOfRange(t.ids(), start, end));
            roles.add(remap(Arrays.copyOfRange(t.roles(), start, end)));
        }
        return TrainingBatch.of(ids, roles, ids.stream().map(s -> new float[s.length]).toList(), new double[batchSize]);
    }

    private int[] remap(int[] roles) {
        int[] out = new int[roles.length];
        for (int i = 0; i < roles.length; i++) {
            out[i] = trained.contains(TokenRole.values()[roles[i]]) ? TokenRole.ENV.id() : TokenRole.CONTEXT.id();
        }
        return out;
    }

    public PolicyOptimizer optimizer() {
        return optimizer;
    }
}
