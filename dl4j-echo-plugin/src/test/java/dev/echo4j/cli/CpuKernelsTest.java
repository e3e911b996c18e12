package dev.echo4j.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The benchmark header names the kernels each kind of product runs on, for the natives this JVM loads. */
class CpuKernelsTest {

    private static final String EXTENSION = "org.bytedeco.javacpp.platform.extension";

    @Test
    void namesOneDnnForTwoDimensionalProductsAndOpenBlasForBatchedOnes() {
        String line = withExtension("-onednn-avx2");
        assertTrue(line.startsWith("2-D products oneDNN JIT ("), line);
        assertTrue(line.contains("batched products OpenBLAS "), line);
        assertOpenBlasCore(line);
    }

    @Test
    void namesOpenBlasForEveryProductWithThePlainNatives() {
        String line = withExtension(null);
        assertTrue(line.startsWith("all products OpenBLAS "), line);
        assertTrue(line.contains("(plain natives; CPU "), line);
        assertOpenBlasCore(line);
    }

    private static void assertOpenBlasCore(String line) {
        String core = System.getenv("OPENBLAS_CORETYPE");
        String expected = core == null || core.isBlank() ? "auto-detected core" : core + " kernels (OPENBLAS_CORETYPE)";
        assertTrue(line.contains("OpenBLAS " + expected), line);
    }

    private static String withExtension(String extension) {
        String saved = System.getProperty(EXTENSION);
        try {
            if (extension == null) {
                System.clearProperty(EXTENSION);
            } else {
                System.setProperty(EXTENSION, extension);
            }
            return CpuKernels.describe();
        } finally {
            if (saved == null) {
                System.clearProperty(EXTENSION);
            } else {
                System.setProperty(EXTENSION, saved);
            }
        }
    }
}
