package dev.echo4j.objective;

import dev.echo4j.transcript.TokenRole;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ECHO objective as a SameDiff loss graph, attached to any graph that produces logits [B,T,V]:
 * {@code loss = policy_coef * L_policy(action tokens) + lambda * L_env(env tokens)}, from one forward pass.
 * Exactly {@code shared/spec/echo-objective.md}.
 *
 * <pre>{@code
 * EchoObjective echo = EchoObjective.attach(sd, logits, EchoConfig.DEFAULTS);
 * Map<String, INDArray> feeds = echo.placeholders(batch, logitsShape);  // plus the model's own inputs
 * }</pre>
 */
public final class EchoObjective {

    public static final String TARGETS = "targets";
    public static final String ROLES = "roles";
    public static final String ADVANTAGES = "advantages";
    public static final String OLD_LOGP = "old_logp";
    public static final String REF_LOGP = "ref_logp";

    public static final String LOSS = "loss";
    public static final String POLICY_LOSS = "policy_loss";
    public static final String ENV_LOSS = "env_loss";
    public static final String KL = "kl";
    public static final String CLIP_FRAC = "clip_frac";
    public static final String ENV_CE = "env_ce";
    /** Per-token log-probs of the targets [B,T]: what sampling records as old_logp. */
    public static final String LOGP = "logp";
    /** dL/dlogits [B,T,V], computed without autodiff (see {@link #logitsGradient()}); built only when requested. */
    public static final String LOGITS_GRADIENT = "d_logits";

    /** Mean entropy (nats) of the policy's next-token distribution at action positions: a collapse alarm. */
    public static final String ENTROPY = "entropy";

    /** The scalar outputs reported with every loss. */
    public static final List<String> METRICS = List.of(LOSS, POLICY_LOSS, ENV_LOSS, KL, CLIP_FRAC, ENV_CE);

    /** The scalar constant holding lambda, changed between updates by {@link #setLambda}. */
    public static final String LAMBDA = "echo_lambda";

    private final SameDiff sd;
    private final EchoConfig config;
    private final long vocabSize;
    private final DataType dtype;
    private final LogitsGradient logitsGradient;

    private EchoObjective(SameDiff sd, EchoConfig config, long vocabSize, DataType dtype, LogitsGradient logitsGradient) {
        this.sd = sd;
        this.config = config;
        this.vocabSize = vocabSize;
        this.dtype = dtype;
        this.logitsGradient = logitsGradient;
    }

    /** Attaches with the vocabulary size read from the logits' static shape. */
    public static EchoObjective attach(SameDiff sd, SDVariable logits, EchoConfig config) {
        long[] shape = logits.getShape();
        if (shape == null || shape.length != 3 || shape[2] <= 0) {
            throw new IllegalArgumentException("logits '" + logits.name() + "': vocabulary size unknown from its shape "
                    + java.util.Arrays.toString(shape) + "; use attach(sd, logits, vocabSize, config)");
        }
        return attach(sd, logits, shape[2], config);
    }

    /** Adds the objective's placeholders and outputs to {@code sd} and makes {@code loss} its loss variable. */
    public static EchoObjective attach(SameDiff sd, SDVariable logits, long vocabSize, EchoConfig config) {
        return attach(sd, logits, vocabSize, config, TargetLogProbs.CHUNK);
    }

    /** {@link #attach} with {@code chunk} vocabulary entries per chunk of the log-prob routine (tests chunk small vocabularies). */
    static EchoObjective attach(SameDiff sd, SDVariable logits, long vocabSize, EchoConfig config, int chunk) {
        return attach(sd, LogitChunks.of(logits, vocabSize, chunk), config);
    }

    /**
     * Attaches to logits that a model makes chunk by chunk ({@code Qwen3Model#logitChunks}): the [B,T,V] logits
     * are then never made, only one vocabulary chunk of them at a time.
     */
    public static EchoObjective attach(SameDiff sd, LogitChunks logits, EchoConfig config) {
        DataType dt = logits.dataType();
        long vocabSize = logits.vocabSize();
        SDVariable targets = sd.placeHolder(TARGETS, DataType.INT32, -1, -1);
        SDVariable roles = sd.placeHolder(ROLES, DataType.INT32, -1, -1);
        SDVariable advantages = sd.placeHolder(ADVANTAGES, dt, -1);
        SDVariable oldLogp = sd.placeHolder(OLD_LOGP, dt, -1, -1);
        SDVariable refLogp = sd.placeHolder(REF_LOGP, dt, -1, -1);

        // logp[b,t] = log_softmax(logits[b,t,:])[targets[b,t]], in vocabulary chunks (TargetLogProbs): the env term's at
        // temperature 1, the policy term's of logits / logprob_temperature (the same variable at temperature 1).
        boolean tempered = config.logprobTemperature() != 1.0;
        TargetLogProbs logProbs = TargetLogProbs.attach(sd, logits, targets, config.logprobTemperature());
        SDVariable envLogp = logProbs.logp();
        SDVariable logp = logProbs.logpTempered().rename(LOGP);

        SDVariable action = mask(sd, roles, TokenRole.ACTION.id(), dt);        // a[b,t]
        SDVariable env = mask(sd, roles, TokenRole.ENV.id(), dt);              // e[b,t]
        SDVariable warning = mask(sd, roles, TokenRole.WARNING.id(), dt);
        SDVariable observation = env.add(warning);                             // o[b,t]
        RoleWeights w = config.roleWeights();
        SDVariable actionWeighted = action.mul(w.action());
        SDVariable envWeighted = w.warning() > 0 ? env.mul(w.env()).add(warning.mul(w.warning())) : env.mul(w.env());
        SDVariable selected = w.warning() > 0 ? observation : env;

        SDVariable adv = sd.expandDims(advantages, 1);                         // [B,1]
        SDVariable ratio = sd.math.exp(logp.sub(oldLogp));
        // -min(ratio*A, clip(ratio)*A) == -A*min(ratio, 1+clip_high) for A >= 0 and -A*max(ratio, 1-clip_low) for A < 0;
        // written with relu because SameDiff's min sends the full gradient to both branches on ties.
        SDVariable positive = sd.gt(adv, 0.0).castTo(dt);                    // [B,1]
        SDVariable capped = ratio.sub(sd.nn.relu(ratio.sub(1 + config.clipHigh()), 0));
        SDVariable floored = ratio.add(sd.nn.relu(ratio.rsub(1 - config.clipLow()), 0));
        SDVariable pg = adv.mul(capped.mul(positive).add(floored.mul(positive.rsub(1.0)))).neg();
        SDVariable refDiff = refLogp.sub(logp);
        SDVariable kl = sd.math.exp(refDiff).sub(refDiff).sub(1.0);          // k3 estimator
        SDVariable tok = config.klBeta() > 0 ? pg.add(kl.mul(config.klBeta())) : pg;

        SDVariable actionCount = atLeastOne(sd, action.sum());
        SDVariable policyLoss = switch (config.policyReduction()) {
            case TOKEN_MEAN -> tok.mul(actionWeighted).sum().div(actionCount);
            case SEQUENCE_MEAN -> tok.mul(actionWeighted).sum(1).div(atLeastOne(sd, action.sum(1))).mean();
            case SEQ_MEAN_TOKEN_SUM_NORM -> tok.mul(actionWeighted).sum(1).div(action.mul(0.0).add(1.0).sum(1)).mean();  // / T
        };
        SDVariable envNll = envLogp.neg();
        SDVariable envLoss = switch (config.envNormalization()) {
            case FULL_OBSERVATION_TOKENS -> envNll.mul(envWeighted).sum(1).div(atLeastOne(sd, observation.sum(1))).mean();
            case SELECTED_TOKENS -> envNll.mul(envWeighted).sum(1).div(atLeastOne(sd, selected.sum(1))).mean();
            case TOKEN_MEAN -> envNll.mul(envWeighted).sum().div(atLeastOne(sd, selected.sum()));
        };
        policyLoss.rename(POLICY_LOSS);
        envLoss.rename(ENV_LOSS);

        // lambda is a scalar constant whose value setLambda changes between updates (a schedule); terms with a zero
        // coefficient stay out of the loss, so that GRPO (lambda = 0) pays nothing for env_loss.
        SDVariable lambda = sd.constant(LAMBDA, Nd4j.scalar(dt, config.lambda()));
        SDVariable loss;
        if (config.lambda() == 0) {
            loss = policyLoss.mul(config.policyCoef());
        } else if (config.policyCoef() == 0) {
            loss = envLoss.mul(lambda);
        } else {
            loss = policyLoss.mul(config.policyCoef()).add(envLoss.mul(lambda));
        }
        loss.rename(LOSS);

        kl.mul(action).sum().div(actionCount).rename(KL);
        SDVariable clippedHigh = positive.mul(sd.gt(ratio, 1 + config.clipHigh()).castTo(dt));
        SDVariable clippedLow = sd.lt(adv, 0.0).castTo(dt).mul(sd.lt(ratio, 1 - config.clipLow()).castTo(dt));
        clippedHigh.add(clippedLow).mul(action).sum().div(actionCount).rename(CLIP_FRAC);
        envNll.mul(env).sum().div(atLeastOne(sd, env.sum())).rename(ENV_CE);
        logProbs.entropy().mul(action).sum().div(actionCount).rename(ENTROPY);

        // dL/dlogits, written out for models with a hand-derived backward pass (Qwen3Model#backward). The loss
        // depends on the logits through logp (policy term, at temperature tau) and envLogp (env term):
        // dlogp/dlogits = (onehot(target) - softmax(logits / tau)) / tau, chunk by chunk (TargetLogProbs#gradient).
        SDVariable dTok = adv.mul(ratio).mul(positive.mul(step(sd, ratio.sub(1 + config.clipHigh())).rsub(1.0))
                .add(positive.rsub(1.0).mul(step(sd, ratio.rsub(1 - config.clipLow())).rsub(1.0)))).neg();
        if (config.klBeta() > 0) {
            dTok = dTok.add(sd.math.exp(refDiff).rsub(1.0).mul(config.klBeta()));
        }
        SDVariable batchSize = sd.castTo(sd.sizeAt(action, 0), dt);
        SDVariable policyWeight = switch (config.policyReduction()) {
            case TOKEN_MEAN -> actionWeighted.div(actionCount);
            case SEQUENCE_MEAN -> actionWeighted.div(atLeastOne(sd, sd.sum(action, true, 1))).div(batchSize);
            case SEQ_MEAN_TOKEN_SUM_NORM -> actionWeighted.div(sd.sum(action.mul(0.0).add(1.0), true, 1)).div(batchSize);
        };
        SDVariable envWeight = switch (config.envNormalization()) {
            case FULL_OBSERVATION_TOKENS -> envWeighted.div(atLeastOne(sd, sd.sum(observation, true, 1))).div(batchSize);
            case SELECTED_TOKENS -> envWeighted.div(atLeastOne(sd, sd.sum(selected, true, 1))).div(batchSize);
            case TOKEN_MEAN -> envWeighted.div(atLeastOne(sd, selected.sum()));
        };
        SDVariable policyPart = dTok.mul(policyWeight).mul(config.policyCoef());
        SDVariable envPart = envWeight.mul(lambda.neg());
        SDVariable policyTerm = config.policyCoef() == 0 ? null : policyPart;
        SDVariable envTerm = config.lambda() == 0 ? null : envPart;
        LogitsGradient logitsGradient = tempered ? logProbs.gradient(envTerm, policyTerm)
                : logProbs.gradient(policyTerm == null ? envTerm : envTerm == null ? policyTerm : policyTerm.add(envTerm), null);
        logitsGradient.whole().rename(LOGITS_GRADIENT);

        sd.setLossVariables(LOSS);
        return new EchoObjective(sd, config, vocabSize, dt, logitsGradient);
    }

    /** 1 where x > 0, else 0: the derivative of relu(x), as SameDiff's own relu gradient takes it. */
    private static SDVariable step(SameDiff sd, SDVariable x) {
        return sd.gt(x, 0.0).castTo(x.dataType());
    }

    private static SDVariable mask(SameDiff sd, SDVariable roles, int role, DataType dt) {
        return sd.eq(roles, sd.constant(role)).castTo(dt);
    }

    private static SDVariable atLeastOne(SameDiff sd, SDVariable count) {
        return sd.math.max(count, sd.constant(1.0).castTo(count.dataType()));
    }

    /**
     * The placeholder values for one batch, validated against the logits' shape [B,T,V] first so that a
     * mismatch names the bad input instead of failing inside a native op.
     */
    public Map<String, INDArray> placeholders(ObjectiveBatch batch, long[] logitsShape) {
        batch.requireMatches(logitsShape);
        if (logitsShape[2] != vocabSize) {
            throw new IllegalArgumentException("logits: vocabulary " + logitsShape[2] + " differs from the " + vocabSize + " the objective was attached with");
        }
        Map<String, INDArray> feeds = new HashMap<>();
        feeds.put(TARGETS, batch.targets().castTo(DataType.INT32));
        feeds.put(ROLES, batch.roles().castTo(DataType.INT32));
        feeds.put(ADVANTAGES, batch.advantages().castTo(dtype));
        feeds.put(OLD_LOGP, batch.oldLogp().castTo(dtype));
        feeds.put(REF_LOGP, batch.refLogp().castTo(dtype));
        return feeds;
    }

    /**
     * The loss's gradient with respect to the logits, in vocabulary chunks, written out rather than found by
     * autodiff, for a model whose backward pass starts from it (Qwen3Model#backward). Equal to autodiff's
     * (conformance test); the whole [B,T,V] array is the output {@value #LOGITS_GRADIENT}.
     */
    public LogitsGradient logitsGradient() {
        return logitsGradient;
    }

    /**
     * Sets lambda for the following updates (a schedule's value); a term that was attached with lambda 0 stays out
     * of the graph, so only a run that started with lambda > 0 can change it.
     */
    public void setLambda(double value) {
        if (!(value >= 0) || Double.isInfinite(value) || (config.lambda() == 0 && value != 0)) {
            throw new IllegalArgumentException("lambda = " + value + ": must be a finite number >= 0"
                    + (config.lambda() == 0 ? ", and stays 0 for an objective attached with lambda 0" : ""));
        }
        sd.getArrForVarName(LAMBDA).assign(value);
    }

    /** The lambda the next update uses. */
    public double lambda() {
        return sd.getArrForVarName(LAMBDA).getDouble(0);
    }

    public SameDiff sd() {
        return sd;
    }

    public EchoConfig config() {
        return config;
    }

    public long vocabSize() {
        return vocabSize;
    }
}
