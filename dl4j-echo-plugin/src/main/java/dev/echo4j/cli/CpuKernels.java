package dev.echo4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Which CPU kernels ND4J's products run on, for benchmark headers: speed comparisons mean little without it. With
 * the oneDNN natives the 2-D products run on oneDNN's JIT kernels, which take the CPU's widest instruction set,
 * and the batched (attention) products on OpenBLAS, whose kernels are {@code OPENBLAS_CORETYPE}'s where set
 * (the launcher sets it) and otherwise the bundled 0.3.19's own detection, which takes CPUs newer than itself for
 * Prescott (SSE3).
 */
final class CpuKernels {

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private CpuKernels() {
    }

    /** One line naming the kernels of each kind of product. */
    static String describe() {
        String core = System.getenv("OPENBLAS_CORETYPE");
        String openBlas = "OpenBLAS " + (core == null || core.isBlank() ? "auto-detected core (no OPENBLAS_CORETYPE)" : core + " kernels (OPENBLAS_CORETYPE)");
        boolean oneDnn = System.getProperty("org.bytedeco.javacpp.platform.extension", "").contains("onednn");
        String isa = widestIsa();
        return oneDnn ? "2-D products oneDNN JIT (" + isa + "), batched products " + openBlas
                : "all products " + openBlas + " (plain natives; CPU " + isa + ")";
    }

    /** The widest vector instruction set the CPU reports: what oneDNN's JIT dispatches to. */
    private static String widestIsa() {
        Set<String> flags = cpuFlags();
        if (flags.containsAll(List.of("avx512f", "avx512bw", "avx512vl", "avx512dq"))) {
            return "AVX-512";
        }
        return flags.contains("avx2") ? "AVX2" : flags.isEmpty() ? "unknown ISA" : "SSE4 or older";
    }

    private static Set<String> cpuFlags() {
        try {
            return Files.readAllLines(CPUINFO).stream().filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> Set.copyOf(Arrays.asList(l.substring(l.indexOf(':') + 1).trim().split("\\s+")))).orElse(Set.of());
        } catch (IOException | SecurityException e) {
            return Set.of();
        }
    }
}
