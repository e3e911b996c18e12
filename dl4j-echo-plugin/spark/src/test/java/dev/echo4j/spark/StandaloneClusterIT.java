package dev.echo4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echo4j.env.SandboxConfig;
import dev.echo4j.eval.EvalResult;
import dev.echo4j.eval.Evaluator;
import dev.echo4j.model.Checkpoint;
import dev.echo4j.objective.EchoConfig;
import dev.echo4j.rollout.Rollout;
import dev.echo4j.rollout.RolloutEngine;
import dev.echo4j.rollout.RolloutSettings;
import dev.echo4j.rollout.TaskSets;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.task.Folders;
import dev.echo4j.task.Task;
import dev.echo4j.task.suite.Split;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.train.EchoTrainer;
import dev.echo4j.train.MetricsLog;
import dev.echo4j.train.PolicyOptimizer;
import dev.echo4j.train.RunDirectory;
import dev.echo4j.train.TrainConfig;
import dev.echo4j.transcript.Transcript;
import dev.echo4j.transcript.TranscriptJsonl;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster on 127.0.0.1: a master and two workers started as separate processes from Spark's own
 * classes, each worker with one core and one executor. A training step and an evaluation there give what they give
 * on this machine, and a step whose worker is killed mid-step still completes, every episode once. Run with
 * {@code mvn -B test -pl dl4j-echo-plugin/spark -am -Pspark-cluster -Dtest=StandaloneClusterIT -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class StandaloneClusterIT {

    @TempDir
    static Path tmp;

    /** The processes' logs and the workers' folders (executor logs), kept after the test. */
    private static final Path LOGS = Path.of("target", "spark-cluster-it");

    private static final List<Process> processes = new ArrayList<>();
    private static SparkCluster cluster;
    private static Checkpoint.Loaded policy;
    private static Path base;

    @BeforeAll
    static void startCluster() throws Exception {
        base = Path.of(System.getProperty("echo4j.home", "../.."), "zoo-configs", "checkpoints", "tiny-sft");
        policy = Checkpoint.load(base);
        Folders.deleteTree(LOGS);
        Files.createDirectories(LOGS);
        Path sparkHome = sparkHome();
        int port = freePort();
        String master = "spark://127.0.0.1:" + port;
        processes.add(start("master", sparkHome, "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", "" + port,
                "--webui-port", "" + freePort()));
        for (int w = 0; w < 2; w++) {
            Path work = Files.createDirectories(LOGS.resolve("worker-" + w));
            processes.add(start("worker-" + w, sparkHome, "org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1", "--cores", "1",
                    "--memory", "1g", "--work-dir", work.toString(), "--webui-port", "" + freePort()));
        }
        cluster = new SparkCluster(SparkCluster.conf(master, Map.of(
                "spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1",
                "spark.executor.memory", "640m",
                "spark.executor.cores", "1",
                "spark.cores.max", "2",
                "spark.executor.extraJavaOptions", "-Dorg.bytedeco.javacpp.maxbytes=1G")));   // echo4j adds the driver's native build
        long deadline = System.currentTimeMillis() + 120_000;
        while (cluster.context().sc().statusTracker().getExecutorInfos().length < 3) {   // the driver and two executors
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the two executors did not register within 2 minutes; see " + LOGS.toAbsolutePath());
            }
            Thread.sleep(500);
        }
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void aTrainingStepOnTheClusterIsTheLocalOne() throws IOException {
        List<String> overrides = List.of("base_checkpoint=" + base, "steps=1", "prompts_per_step=2", "group_size=2", "checkpoint_every=0",
                "rollout.max_turns=2", "rollout.max_new_tokens=32", "tasks.train_count=4");
        TrainConfig cfg = TrainConfig.load("train-tiny", overrides);
        RunDirectory clusterRun = trainOneStep(cfg, "cluster", cluster);
        RunDirectory localRun = trainOneStep(cfg, "local", RolloutEngine.Factory.LOCAL);
        Map<String, Object> clusterStep = MetricsLog.read(clusterRun.metricsFile()).get(0);
        assertEquals(true, clusterStep.get("policy_resent"), "the cluster's first step sends the policy: " + clusterStep);
        assertTrue(!MetricsLog.read(localRun.metricsFile()).get(0).containsKey("policy_resent"), "nothing is sent on this machine");
        List<Transcript> onCluster = TranscriptJsonl.read(clusterRun.transcriptsFile());
        List<Transcript> local = TranscriptJsonl.read(localRun.transcriptsFile());
        assertEquals(4, onCluster.size());
        for (int i = 0; i < local.size(); i++) {
            assertEquals(local.get(i).messages(), onCluster.get(i).messages(), "episode " + i);
            assertEquals(local.get(i).reward(), onCluster.get(i).reward(), "episode " + i);
        }
    }

    private static RunDirectory trainOneStep(TrainConfig cfg, String name, RolloutEngine.Factory engines) {
        RunDirectory run = new RunDirectory(tmp.resolve("run-" + name), tmp.resolve("tasks"));
        try (EchoTrainer trainer = new EchoTrainer(cfg, run, SandboxConfig.defaults(), false, engines)) {
            trainer.train((done, m) -> { }, () -> false);
        }
        return run;
    }

    @Test
    void anEvaluationOnTheClusterIsTheLocalOne() {
        List<Task> tasks = TaskSets.prepare(tmp.resolve("tasks"), Split.HELDOUT, 3, 7);
        TrainConfig cfg = TrainConfig.load("train-tiny", List.of("eval.samples=2", "eval.k=2", "rollout.max_turns=2", "rollout.max_new_tokens=32"));
        PolicyOptimizer optimizer = new PolicyOptimizer(policy.model(), EchoConfig.DEFAULTS, cfg.optimizer());
        ChatTemplate template = new ChatTemplate(policy.tokenizer());
        EvalResult onCluster = new Evaluator(optimizer, template, SandboxConfig.defaults(), cfg.rollout(), cluster).evaluate(tasks, List.of(), cfg.eval());
        EvalResult local = new Evaluator(optimizer, template, SandboxConfig.defaults(), cfg.rollout()).evaluate(tasks, List.of(), cfg.eval());
        assertEquals(local.pass1(), onCluster.pass1());
        assertEquals(local.passK(), onCluster.passK());
        assertEquals(local.rewardMean(), onCluster.rewardMean());
        assertEquals(local.perFamily(), onCluster.perFamily());
    }

    @Test
    void aWorkerKilledMidStepLosesNoEpisode() {
        RolloutSettings settings = new RolloutSettings(3, 32, 5, 60, 256, 1280, 2, RolloutSettings.DEFAULT_GENERATION_BATCH);
        List<Task> tasks = TaskSets.prepare(tmp.resolve("tasks"), Split.TRAIN, 4, 9);
        SamplingConfig sampling = new SamplingConfig(0.8, 1, 0, 21, 32, List.of(new ChatTemplate(policy.tokenizer()).endOfTurnId()));
        AtomicBoolean killed = new AtomicBoolean();
        Process victim = processes.get(2);
        cluster.context().sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart start) {
                if (!killed.getAndSet(true)) {
                    victim.descendants().forEach(ProcessHandle::destroyForcibly);   // the worker's machine goes: executor and all
                    victim.destroyForcibly();
                }
            }
        });
        List<Rollout> onCluster;
        try (RolloutEngine engine = cluster.open(policy.model(), policy.tokenizer(), SandboxConfig.defaults(), settings)) {
            onCluster = engine.collect(tasks, 2, sampling);
        }
        assertTrue(killed.get());
        assertTrue(!victim.isAlive());
        List<Rollout> local;
        try (RolloutEngine engine = RolloutEngine.Factory.LOCAL.open(policy.model(), policy.tokenizer(), SandboxConfig.defaults(), settings)) {
            local = engine.collect(tasks, 2, sampling);
        }
        assertEquals(8, onCluster.size());
        for (int i = 0; i < local.size(); i++) {
            assertArrayEquals(local.get(i).ids(), onCluster.get(i).ids(), "episode " + i);
            assertEquals(local.get(i).group(), onCluster.get(i).group());
        }
    }

    /** A Spark installation as a worker expects one: SPARK_HOME/jars with Spark's jars (the test's own class path). */
    private static Path sparkHome() throws IOException {
        Path jars = Files.createDirectories(tmp.resolve("spark-home").resolve("jars"));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p) && !Files.exists(jars.resolve(p.getFileName()))) {
                Files.createSymbolicLink(jars.resolve(p.getFileName()), p.toAbsolutePath());
            }
        }
        return jars.getParent();
    }

    private static Process start(String name, Path sparkHome, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m"));
        cmd.addAll(List.of(System.getProperty("echo4j.spark.jvm.options", "").split(" ")));
        cmd.removeIf(String::isBlank);
        cmd.addAll(List.of("-Decho4j.spark.log=INFO", "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(LOGS.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.12");   // what a Spark distribution's scripts would say
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
