package dev.echo4j.cli;

import dev.echo4j.rollout.RolloutCluster;
import dev.echo4j.rollout.RolloutEngine;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the commands that play episodes play them: on this machine, or with {@code --spark-master} on a Spark
 * cluster (echo4j-spark, loaded only then). Under spark-submit, which hands its driver the master as the system
 * property {@code spark.master}, that master is the default: a submitted job never plays silently on its driver.
 */
final class SparkOptions {

    @Option(names = "--spark-master", paramLabel = "MASTER", description = "Play episodes on Spark: local[N] or spark://host:port "
            + "(default: the master spark-submit was given, if launched by it; otherwise on this machine, without Spark).")
    String master;

    @Option(names = "--spark-conf", paramLabel = "KEY=VALUE", description = "A Spark setting, e.g. --spark-conf spark.executor.memory=4g "
            + "(repeatable; needs --spark-master).")
    List<String> conf = List.of();

    /** The engines to play episodes on, to close when the command ends (closing the local ones does nothing). */
    Engines open() {
        String master = this.master != null ? this.master : System.getProperty("spark.master");
        if (master == null) {
            if (!conf.isEmpty()) {
                throw new IllegalArgumentException("--spark-conf " + conf.get(0) + " needs --spark-master");
            }
            return new Engines(RolloutEngine.Factory.LOCAL, null);
        }
        RolloutCluster cluster = RolloutCluster.connect(master, settings());
        return new Engines(cluster, cluster);
    }

    /** The {@code --spark-conf} settings by key. */
    Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String kv : conf) {
            int eq = kv.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("--spark-conf " + kv + ": expected KEY=VALUE, e.g. spark.executor.memory=4g");
            }
            settings.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
        }
        return settings;
    }

    /** A factory of engines and the cluster behind it, if any. */
    record Engines(RolloutEngine.Factory factory, RolloutCluster cluster) implements AutoCloseable {
        @Override
        public void close() {
            if (cluster != null) {
                cluster.close();
            }
        }
    }
}
