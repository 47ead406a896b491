package io.anglearn.util;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The processor a measurement ran on, in one line: model, logical CPUs and the vector extensions
 * that decide which kernels oneDNN picks (AVX2, AVX-512, AVX512_BF16, AMX). Speeds measured on
 * different processors are not comparable, so run records and benchmark results carry this line.
 */
public final class CpuInfo {

    /** The flags worth naming, in the order they are listed. */
    private static final List<String> NOTABLE = List.of("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_bf16",
            "amx_tile");

    private static volatile String cached;

    private CpuInfo() {}

    /**
     * Describes this machine's processor, e.g. {@code "AMD EPYC, 2 CPUs, flags avx2 avx512f avx512_bf16"}.
     * Where {@code /proc/cpuinfo} cannot be read, the JVM's architecture and processor count.
     *
     * @return one line
     */
    public static String describe() {
        String c = cached;
        if (c == null) {
            c = read(Path.of("/proc/cpuinfo"));
            cached = c;
        }
        return c;
    }

    /**
     * Describes the processor from a {@code /proc/cpuinfo}-format file.
     *
     * @param cpuinfo the file
     * @return one line
     */
    static String read(Path cpuinfo) {
        int cpus = Runtime.getRuntime().availableProcessors();
        String fallback = System.getProperty("os.arch") + ", " + cpus + " CPUs";
        List<String> lines;
        try {
            lines = Files.readAllLines(cpuinfo, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
        return describe(lines, cpus);
    }

    /**
     * Describes the processor from the lines of {@code /proc/cpuinfo}.
     *
     * @param lines the file's lines
     * @param cpus the logical processors available to this process
     * @return one line
     */
    static String describe(List<String> lines, int cpus) {
        String model = null;
        Set<String> flags = new LinkedHashSet<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (model == null && key.equals("model name")) {
                model = value;
            } else if (flags.isEmpty() && key.equals("flags")) {
                flags.addAll(List.of(value.split("\\s+")));
            }
        }
        List<String> named = new ArrayList<>();
        for (String f : NOTABLE) {
            if (flags.contains(f)) {
                named.add(f);
            }
        }
        return (model == null ? System.getProperty("os.arch") : model) + ", " + cpus + " CPUs"
                + (named.isEmpty() ? "" : ", flags " + String.join(" ", named));
    }
}
