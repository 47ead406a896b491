package io.anglearn.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuInfoTest {

    @Test
    void namesTheModelAndTheVectorExtensionsOfTheFirstProcessor() {
        List<String> lines = List.of("processor\t: 0", "model name\t: AMD EPYC 9B45",
                "flags\t\t: fpu sse2 avx2 fma avx512f avx512bw avx512_bf16 sha_ni", "", "processor\t: 1",
                "model name\t: AMD EPYC 9B45", "flags\t\t: fpu avx2");
        assertEquals("AMD EPYC 9B45, 2 CPUs, flags avx2 avx512f avx512_bf16", CpuInfo.describe(lines, 2));
    }

    @Test
    void aProcessorWithoutVectorExtensionsHasNoFlagList() {
        assertEquals("Some ARM core, 4 CPUs", CpuInfo.describe(List.of("model name : Some ARM core", "flags : fp asimd"), 4));
    }

    @Test
    void anUnreadableFileFallsBackToTheJvmsView(@TempDir Path dir) throws Exception {
        String s = CpuInfo.read(dir.resolve("missing"));
        assertEquals(System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " CPUs", s);
        Files.writeString(dir.resolve("cpuinfo"), "model name : X\n");
        assertEquals("X, " + Runtime.getRuntime().availableProcessors() + " CPUs", CpuInfo.read(dir.resolve("cpuinfo")));
    }
}
