package dev.echo4j.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminalSessionTest {

    @TempDir
    Path work;

    private TerminalSession session;

    @BeforeEach
    void start() {
        session = open(SandboxConfig.defaults().withCommandTimeout(Duration.ofSeconds(20)));
    }

    TerminalSession session() {
        return session;
    }

    /** The session under test: on the host's system folders here, in a task image in {@code ImageTerminalSessionTest}. */
    TerminalSession open(SandboxConfig config) {
        return TerminalSession.start(work, List.of(), config);
    }

    @AfterEach
    void stop() {
        session.close();
    }

    @Test
    void stateCarriesOverBetweenCommands() throws Exception {
        session.run("mkdir -p sub/dir && cd sub/dir && X='a b' && export Y=exported && greet() { echo \"hi $1\"; }; umask 027; set -o pipefail");
        assertEquals("0027\n", session.run("umask").output());
        assertEquals(1, session.run("false | true").exitCode(), "options carry over");
        assertEquals("/app/sub/dir\n", session.run("pwd").output());
        assertEquals("a b|exported\n", session.run("echo \"$X|$Y\"").output());
        assertEquals("hi you\n", session.run("greet you").output());
        session.run("echo content > f.txt");
        assertEquals("content\n", Files.readString(work.resolve("sub/dir/f.txt")));
        assertEquals("exported\n", session.run("bash -c 'echo $Y'").output(), "exported variables reach child processes");
    }

    @Test
    void theAgentsShellOptionsCarryOverWithoutBreakingTheProtocol() {
        assertEquals(0, session.run("set -euC; shopt -s extglob; X=1").exitCode());
        assertEquals("1 ok\n", session.run("echo \"$X\" ok").output(), "errexit, nounset and noclobber do not stop the next command");
        assertEquals(1, session.run("false; echo not reached").exitCode(), "errexit still holds");
        assertTrue(session.run("echo $UNSET_VAR").output().contains("unbound variable"), "nounset still holds");
        assertEquals("b.x\n", session.run("touch a.y b.x; ls !(*.y)").output(), "extglob still holds");
        assertEquals(0, session.run("set +euC -x; Y=2").exitCode());
        String traced = session.run("echo $Y").output();
        assertTrue(traced.matches("\\++ echo 2\n2\n"), "xtrace traces the command, not the harness: " + traced);
        assertEquals("ok\n", session.run("set +x; echo ok").output().replaceAll("\\++ set \\+x\n", ""));
        assertEquals("ok\n", session.run("echo ok").output());
    }

    @Test
    void exitCodeAndMergedOutputInOrder() {
        CommandResult r = session.run("echo out; echo err >&2; echo out2; exit 3");
        assertEquals("out\nerr\nout2\n", r.output());
        assertEquals(3, r.exitCode());
        assertFalse(r.timedOut());
        assertEquals(0, session.run("true").exitCode(), "exit in a command does not end the session");
        assertEquals("no newline", session.run("printf 'no newline'").output());
    }

    @Test
    void commandsCannotReadTheProtocolStream() {
        CommandResult r = session.run("cat; echo after");
        assertEquals("after\n", r.output());
        assertEquals("still here\n", session.run("echo still here").output());
    }

    /**
     * A caller interrupted while waiting leaves its command to end after the next command was sent. That late
     * end once answered the next command (exit 137 or the abandoned output, in place of its own), and a late
     * marker read together with the next command's output was kept as output.
     */
    @Test
    void anInterruptedCommandsLateEndNeverAnswersTheNextCommand() {
        for (int i = 0; i < 30; i++) {
            Thread.currentThread().interrupt();
            assertThrows(IllegalStateException.class, () -> session.run("sleep 0.05; echo abandoned"));
            assertTrue(Thread.interrupted(), "run keeps the caller's interrupt status");
            CommandResult r = session.run("echo own " + i);
            assertEquals("own " + i + "\n", r.output(), "command " + i);
            assertEquals(0, r.exitCode(), "command " + i);
        }
    }

    @Test
    void timeoutKillsTheCommandTreeAndTheSessionStaysUsable() {
        session.run("export KEEP=1; cd /tmp");
        CommandResult r = session.run("echo started; sleep 100 & setsid sleep 101 & nohup sleep 102 >/dev/null 2>&1 & while true; do :; done",
                Duration.ofMillis(700));
        assertTrue(r.timedOut());
        assertTrue(r.output().startsWith("started"), r.output());
        assertNotEquals(0, r.exitCode());
        CommandResult after = session.run("echo $KEEP; pwd; pgrep -c sleep || true");
        assertEquals("1\n/tmp\n0\n", after.output(), "state survives, the command's children do not");
    }

    @Test
    void outputOverTheCapKeepsHeadAndTail() {
        session.close();
        session = open(SandboxConfig.defaults().withMaxOutputBytes(1000));
        CommandResult r = session.run("echo BEGIN; seq 1 100000; echo END");
        assertTrue(r.truncated());
        assertTrue(r.head().startsWith("BEGIN\n1\n2\n"), r.head());
        assertTrue(r.tail().endsWith("99999\n100000\nEND\n"), r.tail());
        long total = "BEGIN\n".length() + "END\n".length() + java.util.stream.IntStream.rangeClosed(1, 100000).mapToLong(i -> (i + "\n").length()).sum();
        assertEquals(total, r.head().length() + r.tail().length() + r.omittedBytes());
        assertTrue(r.output().contains("[... " + r.omittedBytes() + " bytes omitted ...]"));
        assertEquals("ok\n", session.run("echo ok").output());
    }

    @Test
    void noProcessSurvivesClose() throws Exception {
        session.run("sleep 300 & nohup sleep 301 >/dev/null 2>&1 & setsid sleep 302 & (setsid bash -c 'sleep 303 & sleep 304' &) ; disown -a; sleep 0.2");
        List<Long> pids = session.livePids();
        assertTrue(pids.size() >= 7, "the sandbox, its shell and five sleeps: " + pids);
        session.close();
        for (long pid : pids) {
            assertFalse(running(pid), "pid " + pid + " survived close");
        }
    }

    /** Still in the process table, zombies included: everything must be killed and reaped. */
    private static boolean running(long pid) {
        return Files.exists(Path.of("/proc", Long.toString(pid)));
    }

    /** The host's system folders are read-only (a task image's root is writable in its own layer: see the subclass). */
    @Test
    void systemWritesAreContained() {
        assertNotEquals(0, session.run("touch /usr/echo4j-probe").exitCode());
        assertNotEquals(0, session.run("touch /etc/echo4j-probe").exitCode());
    }

    @Test
    void tmpIsPrivateAndThereIsNoNetwork() {
        String probe = "/tmp/echo4j-probe-" + System.nanoTime();
        assertEquals(0, session.run("touch " + probe).exitCode());
        assertFalse(Files.exists(Path.of(probe)), "/tmp inside is not the host's");
        CommandResult net = session.run("exec 3<>/dev/tcp/1.1.1.1/80 && echo connected");
        assertNotEquals(0, net.exitCode());
        assertFalse(net.output().contains("connected"));
        assertEquals("1\n", session.run("ls /proc | grep -c '^1$'").output(), "own PID namespace: pid 1 is the sandbox's init");
        assertTrue(session.run("ps -e --no-headers | wc -l").output().strip().matches("[1-9]"), "only the sandbox's processes are visible");
    }

    @Test
    void resourceCapsApply() {
        assertEquals(session.config().cpuSeconds() + "\n", session.run("ulimit -t").output());
        assertEquals(session.config().memoryBytes() / 1024 + "\n", session.run("ulimit -d").output());
        if (session.processCapEnforced()) {
            CommandResult bomb = session.run("for i in $(seq 400); do sleep 5 & done 2>&1 | grep -c 'Resource temporarily unavailable' ; true",
                    Duration.ofSeconds(15));
            assertFalse(bomb.output().startsWith("0"), "the process cap stopped the loop: " + bomb.output());
        }
    }

    /**
     * Memory a process writes is capped; address space it only reserves is not, as under Docker's memory limit (coqc, an
     * OCaml 5 program, reserves its minor heaps up front, and under an address-space cap died at start: "Not enough heap
     * memory to reserve minor heaps").
     */
    @Test
    void memoryIsCappedWhereItIsWrittenNotWhereItIsReserved() {
        long over = session.config().memoryBytes() + (256L << 20);
        CommandResult use = session.run("python3 -c 'b = bytearray(" + over + "); print(len(b))'");
        assertNotEquals(0, use.exitCode(), use.output());
        assertTrue(use.output().contains("MemoryError"), use.output());
        // prot=0 is PROT_NONE: address space reserved, nothing writable yet
        CommandResult reserve = session.run("python3 -c 'import mmap; m = mmap.mmap(-1, " + 8 * over
                + ", flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, prot=0); print(\"reserved\")'");
        assertEquals("reserved\n", reserve.output());
    }

    @Test
    void refusesWithoutBubblewrapAndSaysHowToInstallIt() {
        SandboxConfig missing = SandboxConfig.defaults().withBwrapPath(Path.of("/nonexistent/bwrap"));
        SandboxUnavailableException e = assertThrows(SandboxUnavailableException.class, () -> TerminalSession.start(work, List.of(), missing));
        assertTrue(e.getMessage().contains("apt-get install -y bubblewrap"), e.getMessage());
        assertTrue(e.getMessage().contains("--unsandboxed"), e.getMessage());
    }

    @Test
    void unsandboxedLocalBackendOnlyByExplicitChoice() {
        SandboxConfig local = SandboxConfig.defaults().withBwrapPath(Path.of("/nonexistent/bwrap")).withBackend(SandboxBackend.UNSANDBOXED_LOCAL);
        try (TerminalSession s = TerminalSession.start(work, List.of(), local)) {
            s.run("cd sub 2>/dev/null || mkdir sub && cd sub && V=7");
            assertEquals(work.resolve("sub").toString() + "|7\n", s.run("echo \"$PWD|$V\"").output());
        }
    }
}
