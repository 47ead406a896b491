package io.anglearn.engine;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Starts DJL's PyTorch engine the way anglearn needs it.
 *
 * <p>anglearn never lets DJL reach for the network: {@code ai.djl.offline} is set to {@code true}
 * unless the user set it explicitly, so the native libraries must come from the classpath (the
 * {@code pytorch-native-*} jar) or from {@code PYTORCH_LIBRARY_PATH}. When they cannot be loaded,
 * {@link #pytorch()} throws a {@link NativeLibraryException} whose message is one line saying
 * what is missing and how to fix it.
 */
public final class Engines {

    /** The engine name DJL registers for PyTorch. */
    public static final String PYTORCH = "PyTorch";

    private static volatile Engine engine;

    private Engines() {}

    /**
     * Sets the system properties anglearn relies on, without overriding values the user set.
     *
     * <p>Call before anything touches DJL. Idempotent.
     */
    public static void configureDefaults() {
        setIfAbsent("ai.djl.offline", "true");
        // Keep DJL's own thread pools in line with the machine; PyTorch intra-op threads default
        // to the number of cores, which is what training wants.
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        setIfAbsent("ai.djl.default_engine", PYTORCH);
        // DJL probes for CUDA on every start and warns when the CPU natives are in use; that is expected.
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /**
     * Returns the PyTorch engine, loading its native library on first use.
     *
     * @return the engine
     * @throws NativeLibraryException if the native library cannot be found or loaded
     */
    public static Engine pytorch() {
        Engine e = engine;
        if (e != null) {
            return e;
        }
        synchronized (Engines.class) {
            if (engine == null) {
                configureDefaults();
                // Before libtorch allocates anything, so its first tensors already come from tuned heaps.
                NativeAllocator.tune();
                Engine loaded;
                try {
                    loaded = Engine.getEngine(PYTORCH);
                } catch (EngineException | UnsatisfiedLinkError | IllegalArgumentException ex) {
                    throw new NativeLibraryException(explain(ex), ex);
                }
                consumeDeprecationWarning(loaded);
                engine = loaded;
            }
            return engine;
        }
    }

    /**
     * The first time DJL copies host data into a tensor, libtorch prints a deprecation warning
     * about an API DJL uses internally ("AutoNonVariableTypeMode is deprecated ... silent wrong
     * result"), once per process and straight to standard error. It says nothing about the user's
     * work, so that first copy is made here, with standard error silenced.
     */
    private static void consumeDeprecationWarning(Engine e) {
        NativeStderr.silenced(() -> {
            try (NDManager m = e.newBaseManager(); NDArray a = m.zeros(new Shape(1))) {
                a.set(new float[] {0f});
            }
            return null;
        });
    }

    /** Returns the engine version string, for run manifests. */
    public static String describe() {
        Engine e = pytorch();
        return e.getEngineName() + " " + e.getVersion() + " (DJL " + Engine.getDjlVersion() + ")";
    }

    static String explain(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        detail = detail.replaceAll("\\s+", " ").trim();
        if (detail.length() > 160) {
            detail = detail.substring(0, 157) + "...";
        }
        boolean offline = Boolean.parseBoolean(System.getProperty("ai.djl.offline", "true"));
        return "PyTorch native library could not be loaded (" + detail + "); "
                + (offline
                        ? "put ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64 and pytorch-jni:2.7.1-0.36.0"
                                + " on the classpath (./anglearn does), or set PYTORCH_LIBRARY_PATH to a libtorch"
                                + " folder, or allow DJL to download it with -Dai.djl.offline=false"
                        : "check PYTORCH_LIBRARY_PATH, PYTORCH_VERSION and PYTORCH_FLAVOR");
    }
}
