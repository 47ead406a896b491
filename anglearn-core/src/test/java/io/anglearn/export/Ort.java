package io.anglearn.export;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs an ONNX model in ONNX Runtime's Java API, the way a consumer of an exported model would. */
final class Ort {

    private Ort() {}

    /**
     * The process's ONNX Runtime environment. DJL's OnnxRuntime engine creates it with its own
     * thread options and fails when one already exists, so in a process that uses both (these
     * tests) DJL's engine must come first; the environment is then shared.
     */
    static OrtEnvironment environment() {
        ai.djl.engine.Engine.getEngine("OnnxRuntime");
        return OrtEnvironment.getEnvironment();
    }

    /** The outputs of one run, flattened row-major, by name; and the model's custom metadata. */
    record Outputs(Map<String, float[]> values, Map<String, String> metadata) {

        float[] get(String name) {
            float[] v = values.get(name);
            if (v == null) {
                throw new AssertionError("the model has no output " + name + "; it has " + values.keySet());
            }
            return v;
        }
    }

    /** Runs a model on float images N×C×H×W. */
    static Outputs run(byte[] model, String input, float[] images, long... shape) throws OrtException {
        OrtEnvironment env = environment();
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(images), shape)) {
            return run(env, model, input, t);
        }
    }

    /** Runs a model on uint8 pixels N×H×W×C. */
    static Outputs runPixels(byte[] model, String input, byte[] pixels, long... shape) throws OrtException {
        OrtEnvironment env = environment();
        try (OnnxTensor t = OnnxTensor.createTensor(env, ByteBuffer.wrap(pixels), shape, OnnxJavaType.UINT8)) {
            return run(env, model, input, t);
        }
    }

    private static Outputs run(OrtEnvironment env, byte[] model, String input, OnnxTensor tensor) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            try (OrtSession session = env.createSession(model, options);
                    OrtSession.Result result = session.run(Map.of(input, tensor))) {
                Map<String, float[]> out = new LinkedHashMap<>();
                for (Map.Entry<String, OnnxValue> e : result) {
                    FloatBuffer b = ((OnnxTensor) e.getValue()).getFloatBuffer();
                    float[] v = new float[b.remaining()];
                    b.get(v);
                    out.put(e.getKey(), v);
                }
                return new Outputs(out, session.getMetadata().getCustomMetadata());
            }
        }
    }

    /**
     * The largest difference between two arrays relative to the largest magnitude of the expected
     * one: max_i |actual_i − expected_i| / max_i |expected_i|.
     */
    static double relativeError(float[] actual, float[] expected) {
        if (actual.length != expected.length) {
            throw new AssertionError("lengths differ: " + actual.length + " and " + expected.length);
        }
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs((double) actual[i] - expected[i]));
            scale = Math.max(scale, Math.abs(expected[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }
}
