package dev.echo4j.spark;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.env.SandboxUnavailableException;
import dev.echo4j.model.Qwen3Model;
import dev.echo4j.rollout.RolloutCluster;
import dev.echo4j.rollout.RolloutEngine;
import dev.echo4j.rollout.RolloutSettings;
import dev.echo4j.tokenizer.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * A Spark application whose executors play episodes for every engine opened on it (the runs of a comparison share
 * it). Before the first engine of a sandbox setting runs, every executor is asked whether it has bubblewrap, and the
 * cluster refuses at once, naming the hosts and the install command, when one has not.
 */
final class SparkCluster implements RolloutCluster {

    /** Episode partitions per step: by default Spark's parallelism (the executors' cores). */
    static final String PARTITIONS = "spark.echo4j.partitions";

    private final JavaSparkContext spark;
    private final int partitions;
    private final Set<SandboxConfig> checked = ConcurrentHashMap.newKeySet();

    SparkCluster(SparkConf conf) {
        this.spark = new JavaSparkContext(conf);
        this.partitions = conf.contains(PARTITIONS) ? Integer.parseInt(conf.get(PARTITIONS)) : spark.defaultParallelism();
        if (partitions < 1) {
            throw new IllegalArgumentException(PARTITIONS + " = " + partitions + ": must be at least 1");
        }
    }

    @Override
    public RolloutEngine open(Qwen3Model model, Tokenizer tokenizer, SandboxConfig sandbox, RolloutSettings settings) {
        requireSandbox(sandbox);
        return new SparkRolloutEngine(spark, partitions, model, tokenizer, sandbox, settings);
    }

    SparkRolloutEngine openEngine(Qwen3Model model, Tokenizer tokenizer, SandboxConfig sandbox, RolloutSettings settings) {
        return (SparkRolloutEngine) open(model, tokenizer, sandbox, settings);
    }

    /** Asks a few tasks per executor core whether their host has bubblewrap. */
    private void requireSandbox(SandboxConfig sandbox) {
        if (checked.contains(sandbox)) {
            return;
        }
        int probes = Math.max(2, spark.defaultParallelism()) * 2;
        List<Integer> seeds = IntStream.range(0, probes).boxed().toList();
        PlaySettings shipped = PlaySettings.of(RolloutSettings.DEFAULTS, dev.echo4j.sampling.SamplingConfig.greedy(1), sandbox);
        List<String> missing = spark.parallelize(seeds, probes).mapPartitions(it -> {
            String host = SandboxCheck.missingOn(shipped.sandbox());
            List<String> out = new ArrayList<>();
            if (host != null) {
                out.add(host);
            }
            return out.iterator();
        }).collect();
        if (!missing.isEmpty()) {
            throw new SandboxUnavailableException(SandboxCheck.message(new TreeSet<>(missing), sandbox));
        }
        checked.add(sandbox);
    }

    JavaSparkContext context() {
        return spark;
    }

    @Override
    public void close() {
        spark.stop();
    }

    /**
     * Builds the Spark configuration of a cluster at {@code master}: echo4j's defaults under the caller's settings,
     * which come from {@code --spark-conf} and, under spark-submit, from its {@code --conf} (Spark's system properties).
     */
    static SparkConf conf(String master, Map<String, String> settings) {
        SparkConf conf = new SparkConf().setMaster(master).setAppName("echo4j");
        settings.forEach(conf::set);
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        String natives = System.getProperty("org.bytedeco.javacpp.platform.extension");
        String executorOptions = conf.get("spark.executor.extraJavaOptions", "");
        if (natives != null && !natives.isEmpty() && !executorOptions.contains("org.bytedeco.javacpp.platform.extension")) {
            // the executors load the driver's native build of ND4J (oneDNN's by default) besides their own options
            conf.set("spark.executor.extraJavaOptions", (executorOptions + " -Dorg.bytedeco.javacpp.platform.extension=" + natives).strip());
        }
        if (master.startsWith("spark://") && !conf.contains("spark.jars") && !conf.contains("spark.executor.extraClassPath")
                && System.getProperty("spark.submit.deployMode") == null) {
            conf.set("spark.executor.extraClassPath", System.getProperty("java.class.path"));   // the same install on every node
        }
        return conf;
    }
}
