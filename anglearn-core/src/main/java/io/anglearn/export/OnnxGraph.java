package io.anglearn.export;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model under construction (nodes, initializers, typed inputs and outputs, metadata),
 * written as a serialised {@code ModelProto}.
 *
 * <p>Messages are encoded field by field with protobuf's {@link CodedOutputStream}, with the field
 * numbers of the public {@code onnx.proto}: ModelProto {ir_version = 1, producer_name = 2,
 * producer_version = 3, doc_string = 6, graph = 7, opset_import = 8, metadata_props = 14},
 * OperatorSetIdProto {domain = 1, version = 2}, StringStringEntryProto {key = 1, value = 2},
 * GraphProto {node = 1, name = 2, initializer = 5, input = 11, output = 12}, NodeProto {input = 1,
 * output = 2, name = 3, op_type = 4, attribute = 5}, AttributeProto {name = 1, f = 2, i = 3,
 * ints = 8, type = 20}, TensorProto {dims = 1, data_type = 2, name = 8, raw_data = 9},
 * ValueInfoProto {name = 1, type = 2, doc_string = 3}, TypeProto {tensor_type = 1},
 * TypeProto.Tensor {elem_type = 1, shape = 2}, TensorShapeProto {dim = 1}, Dimension
 * {dim_value = 1, dim_param = 2}. Initializers carry {@code raw_data}, little-endian as the
 * format requires.
 */
final class OnnxGraph {

    /** The IR version written: 8 (ONNX 1.10+), which every ONNX Runtime since 1.10 reads. */
    static final long IR_VERSION = 8;
    /** The default-domain operator set the graph uses. */
    static final long OPSET = 17;

    /** TensorProto.DataType FLOAT. */
    static final int FLOAT = 1;
    /** TensorProto.DataType UINT8. */
    static final int UINT8 = 2;
    /** TensorProto.DataType INT64. */
    static final int INT64 = 7;

    private static final int ATTR_FLOAT = 1;
    private static final int ATTR_INT = 2;
    private static final int ATTR_INTS = 7;

    private final List<byte[]> nodes = new ArrayList<>();
    private final List<byte[]> initializers = new ArrayList<>();
    private final List<byte[]> inputs = new ArrayList<>();
    private final List<byte[]> outputs = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private int counter;

    /** Returns a value name not used before, from a readable stem. */
    String fresh(String stem) {
        return stem + "_" + (++counter);
    }

    /**
     * Adds a float initializer (a constant tensor).
     *
     * @param name its name
     * @param values the values, row-major
     * @param dims its shape
     * @return the name
     */
    String floats(String name, float[] values, long... dims) {
        checkCount(name, values.length, dims);
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        initializers.add(tensor(name, FLOAT, dims, b.array()));
        return name;
    }

    /**
     * Adds an int64 initializer, e.g. the pads of a Pad or the shape of a Reshape.
     *
     * @param name its name
     * @param values the values
     * @return the name
     */
    String int64s(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        initializers.add(tensor(name, INT64, new long[] {values.length}, b.array()));
        return name;
    }

    /** A float scalar broadcast over any shape: a one-element tensor of rank 0. */
    String scalar(String name, float value) {
        ByteBuffer b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(value);
        initializers.add(tensor(name, FLOAT, new long[0], b.array()));
        return name;
    }

    private static void checkCount(String name, int count, long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n != count) {
            throw new IllegalStateException("initializer " + name + " has " + count + " values for shape "
                    + java.util.Arrays.toString(dims));
        }
    }

    /**
     * Adds a node.
     *
     * @param opType the operator, e.g. {@code Conv}
     * @param in its inputs, in the operator's order
     * @param out its outputs
     * @param attributes its attributes
     */
    void node(String opType, List<String> in, List<String> out, Attribute... attributes) {
        String name = fresh(opType);
        nodes.add(message(m -> {
            for (String i : in) {
                m.writeString(1, i);
            }
            for (String o : out) {
                m.writeString(2, o);
            }
            m.writeString(3, name);
            m.writeString(4, opType);
            for (Attribute a : attributes) {
                m.writeByteArray(5, a.encode());
            }
        }));
    }

    /**
     * Adds a node with one output, named from the operator.
     *
     * @return the output's name
     */
    String op(String opType, List<String> in, Attribute... attributes) {
        String out = fresh(opType.toLowerCase(java.util.Locale.ROOT));
        node(opType, in, List.of(out), attributes);
        return out;
    }

    /**
     * Declares a graph input.
     *
     * @param name its name
     * @param elemType {@link #FLOAT} or {@link #UINT8}
     * @param doc what it is, for people
     * @param dims the shape: a Long for a fixed size, a String for a named dynamic one
     */
    void input(String name, int elemType, String doc, Object... dims) {
        inputs.add(valueInfo(name, elemType, doc, dims));
    }

    /** Declares a graph output, as {@link #input} does an input. */
    void output(String name, int elemType, String doc, Object... dims) {
        outputs.add(valueInfo(name, elemType, doc, dims));
    }

    /** Adds a metadata entry ({@code metadata_props}); a later value for the same key replaces it. */
    void metadata(String key, String value) {
        metadata.put(key, value);
    }

    /** Returns the metadata entries so far, read-only. */
    Map<String, String> metadataView() {
        return java.util.Collections.unmodifiableMap(metadata);
    }

    /**
     * Writes the model.
     *
     * @param out where to
     * @param graphName the graph's name
     * @param producerVersion anglearn's version
     * @param doc the model's description
     * @throws IOException if writing fails
     */
    void writeTo(OutputStream out, String graphName, String producerVersion, String doc) throws IOException {
        CodedOutputStream m = CodedOutputStream.newInstance(out, 1 << 16);
        m.writeInt64(1, IR_VERSION);
        m.writeString(2, "anglearn");
        m.writeString(3, producerVersion);
        m.writeString(6, doc);
        // The graph is written in place rather than built as one array, so a large network's weights
        // are not held twice: its length is the sum of its fields' encoded sizes.
        byte[] name = message(g -> g.writeString(2, graphName));
        long size = name.length + sizeOfRepeated(1, nodes) + sizeOfRepeated(5, initializers)
                + sizeOfRepeated(11, inputs) + sizeOfRepeated(12, outputs);
        m.writeTag(7, com.google.protobuf.WireFormat.WIRETYPE_LENGTH_DELIMITED);
        m.writeUInt64NoTag(size);
        writeRepeated(m, 1, nodes);
        m.writeRawBytes(name);
        writeRepeated(m, 5, initializers);
        writeRepeated(m, 11, inputs);
        writeRepeated(m, 12, outputs);
        m.writeByteArray(8, message(o -> {
            o.writeString(1, "");
            o.writeInt64(2, OPSET);
        }));
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            m.writeByteArray(14, message(s -> {
                s.writeString(1, e.getKey());
                s.writeString(2, e.getValue());
            }));
        }
        m.flush();
    }

    private static long sizeOfRepeated(int field, List<byte[]> items) {
        long n = 0;
        for (byte[] b : items) {
            n += CodedOutputStream.computeByteArraySize(field, b);
        }
        return n;
    }

    private static void writeRepeated(CodedOutputStream m, int field, List<byte[]> items) throws IOException {
        for (byte[] b : items) {
            m.writeByteArray(field, b);
        }
    }

    private static byte[] tensor(String name, int dataType, long[] dims, byte[] raw) {
        return message(t -> {
            for (long d : dims) {
                t.writeInt64(1, d);
            }
            t.writeInt32(2, dataType);
            t.writeString(8, name);
            t.writeByteArray(9, raw);
        });
    }

    private static byte[] valueInfo(String name, int elemType, String doc, Object[] dims) {
        byte[] shape = message(s -> {
            for (Object d : dims) {
                s.writeByteArray(1, message(dim -> {
                    if (d instanceof String param) {
                        dim.writeString(2, param);
                    } else {
                        dim.writeInt64(1, ((Number) d).longValue());
                    }
                }));
            }
        });
        byte[] tensorType = message(t -> {
            t.writeInt32(1, elemType);
            t.writeByteArray(2, shape);
        });
        return message(v -> {
            v.writeString(1, name);
            v.writeByteArray(2, message(type -> type.writeByteArray(1, tensorType)));
            v.writeString(3, doc);
        });
    }

    /** One node attribute. */
    record Attribute(String name, int type, float f, long i, long[] ints) {

        /** An integer attribute. */
        static Attribute of(String name, long value) {
            return new Attribute(name, ATTR_INT, 0, value, null);
        }

        /** A float attribute. */
        static Attribute of(String name, float value) {
            return new Attribute(name, ATTR_FLOAT, value, 0, null);
        }

        /** A list-of-integers attribute. */
        static Attribute ints(String name, long... values) {
            return new Attribute(name, ATTR_INTS, 0, 0, values.clone());
        }

        byte[] encode() {
            return message(a -> {
                a.writeString(1, name);
                switch (type) {
                    case ATTR_FLOAT -> a.writeFloat(2, f);
                    case ATTR_INT -> a.writeInt64(3, i);
                    default -> {
                        for (long v : ints) {
                            a.writeInt64(8, v); // repeated int64 ints = 8, unpacked as onnx.proto (proto2) declares it
                        }
                    }
                }
                a.writeInt32(20, type);
            });
        }
    }

    @FunctionalInterface
    private interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Fields fields) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            fields.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("encoding an ONNX message in memory", e);
        }
    }
}
