package dev.echo4j.spark;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.env.SandboxUnavailableException;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.rollout.EpisodeSlot;
import dev.echo4j.rollout.PolicySend;
import dev.echo4j.rollout.Rollout;
import dev.echo4j.rollout.RolloutEngine;
import dev.echo4j.rollout.RolloutSettings;
import dev.echo4j.rollout.RolloutsFailedException;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.task.Task;
import dev.echo4j.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A step's episodes as Spark tasks. Before each step the policy is snapshotted; when its digest differs from the
 * last one sent it is broadcast (the old broadcast destroyed). Each task plays a contiguous share of the episodes;
 * since an episode's sampling depends only on its index, the rollouts are the local collector's, token for token.
 * A task lost with its executor is rerun by Spark elsewhere, and its episodes are counted once: the driver keeps one
 * result per index and checks that every index came back.
 */
final class SparkRolloutEngine implements RolloutEngine {

    private static final Logger LOG = LoggerFactory.getLogger(SparkRolloutEngine.class);

    private final JavaSparkContext spark;
    private final int partitions;
    private final Qwen3Model model;
    private final Tokenizer tokenizer;
    private final SandboxConfig sandbox;
    private final RolloutSettings settings;
    private Broadcast<PolicySnapshot> policy;
    private String sentVersion;
    private PolicySend lastSend;

    SparkRolloutEngine(JavaSparkContext spark, int partitions, Qwen3Model model, Tokenizer tokenizer, SandboxConfig sandbox,
                       RolloutSettings settings) {
        this.spark = spark;
        this.partitions = partitions;
        this.model = model;
        this.tokenizer = tokenizer;
        this.sandbox = sandbox;
        this.settings = settings;
    }

    @Override
    public List<Rollout> collect(List<Task> tasks, int groupSize, SamplingConfig sampling) {
        Map<Task, byte[]> archives = new HashMap<>();
        List<EpisodeWork> works = new ArrayList<>();
        for (EpisodeSlot slot : EpisodeSlot.of(tasks, groupSize)) {
            works.add(new EpisodeWork(slot.index(), slot.group(), slot.task().dir().getFileName().toString(), archives.computeIfAbsent(slot.task(), t -> TaskArchive.pack(t.dir()))));
        }
        return play(works, sampling);
    }

    /** Plays these episodes on the executors and returns them in index order. */
    List<Rollout> play(List<EpisodeWork> works, SamplingConfig sampling) {
        Broadcast<PolicySnapshot> current = currentPolicy();
        List<PlayedEpisode> played;
        try {
            played = spark.parallelize(works, Math.max(1, Math.min(partitions, works.size())))
                    .mapPartitions(new EpisodePlayer(current, PlaySettings.of(settings, sampling, sandbox)))
                    .collect();
        } catch (Exception e) {   // Spark throws SparkException, checked, without declaring it
            throw failure(e);
        }
        Rollout[] byIndex = new Rollout[works.size()];
        for (PlayedEpisode p : played) {
            if (byIndex[p.index()] != null) {
                throw new IllegalStateException("episode " + p.index() + " came back twice from the cluster");
            }
            byIndex[p.index()] = p.rollout();
        }
        for (int i = 0; i < byIndex.length; i++) {
            if (byIndex[i] == null) {
                throw new IllegalStateException("episode " + i + " of " + byIndex.length + " did not come back from the cluster");
            }
        }
        return List.of(byIndex);
    }

    /** The broadcast of the policy as it is now, sent anew only when it changed since the last step. */
    private Broadcast<PolicySnapshot> currentPolicy() {
        long t0 = System.nanoTime();
        PolicySnapshot snapshot = PolicySnapshot.of(model, tokenizer);
        boolean resend = !snapshot.version().equals(sentVersion);
        if (resend) {
            if (policy != null) {
                policy.destroy();
            }
            policy = spark.broadcast(snapshot);
            sentVersion = snapshot.version();
        }
        lastSend = new PolicySend(resend, resend ? snapshot.bytes() : 0, (System.nanoTime() - t0) / 1e9);
        LOG.debug("policy {}: {}", sentVersion, lastSend);
        return policy;
    }

    @Override
    public Optional<PolicySend> lastPolicySend() {
        return Optional.ofNullable(lastSend);
    }

    /**
     * A job that failed after Spark's retries, as one line: a sandbox that cannot start keeps its own exception (it
     * names the hosts and the install command); anything else says what failed last.
     */
    private static RuntimeException failure(Exception e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SandboxUnavailableException unavailable) {
                return unavailable;
            }
        }
        if (!(e instanceof SparkException)) {
            return e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
        String last = String.valueOf(e.getMessage());
        int cut = last.indexOf('\n');
        return new RolloutsFailedException("the step's episodes failed on the Spark cluster after its retries: "
                + (cut < 0 ? last : last.substring(0, cut)), e);
    }

    @Override
    public void close() {
        if (policy != null) {
            policy.destroy();
            policy = null;
        }
    }
}
