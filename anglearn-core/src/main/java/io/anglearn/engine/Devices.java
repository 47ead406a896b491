package io.anglearn.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.anglearn.util.NameSuggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the device names the command line and configuration files accept.
 *
 * <p>Accepted forms: {@code cpu}, {@code gpu} (the first GPU), {@code gpu:N}, and, for several
 * devices, a comma-separated list such as {@code gpu:0,gpu:1}.
 */
public final class Devices {

    /** The forms of device name, as error messages list them. */
    public static final List<String> FORMS = List.of("cpu", "gpu", "gpu:N", "gpu:0,gpu:1");

    /** A GPU name, well formed ({@code gpu:1}) or with the colon missing ({@code gpu1}, {@code cuda 1}). */
    private static final Pattern GPU = Pattern.compile("(?:gpu|cuda)\\s*[:#-]?\\s*(\\S*)");

    private Devices() {}

    /**
     * Parses one device name.
     *
     * @param name the name, e.g. {@code cpu} or {@code gpu:1}
     * @return the device
     * @throws IllegalArgumentException if the name is malformed (suggesting the closest form), or names a GPU
     *     that is not there
     */
    public static Device parse(String name) {
        int id = index(name);
        if (id < 0) {
            return Device.cpu();
        }
        Engine engine = Engines.pytorch();
        int gpus = engine.getGpuCount();
        if (id >= gpus) {
            throw new IllegalArgumentException(
                    "--device '" + name + "': " + (gpus == 0
                            ? "no CUDA GPU is visible to PyTorch (the CPU natives are in use; see README, 'GPU')"
                            : "only " + gpus + " GPU(s) visible (gpu:0 to gpu:" + (gpus - 1) + ")"));
        }
        return Device.gpu(id);
    }

    /**
     * Checks the form of a comma-separated list of device names without asking the engine which GPUs
     * exist, so a configuration can be checked before the native library is loaded.
     *
     * @param names e.g. {@code cpu} or {@code gpu:0,gpu:1}
     * @throws IllegalArgumentException naming {@code --device}, the name at fault and the closest valid form
     */
    public static void checkNames(String names) {
        if (names == null || names.isBlank()) {
            throw new IllegalArgumentException("--device needs a value: " + NameSuggestions.hint(List.of(), FORMS));
        }
        List<Integer> seen = new ArrayList<>();
        for (String part : names.split(",", -1)) {
            int id = index(part);
            if (seen.contains(id)) {
                throw new IllegalArgumentException("--device '" + names + "': " + part.trim() + " is listed twice");
            }
            seen.add(id);
        }
    }

    /**
     * Parses a comma-separated list of devices.
     *
     * @param names e.g. {@code gpu:0,gpu:1}
     * @return the devices, in order, without duplicates
     */
    public static Device[] parseList(String names) {
        List<Device> out = new ArrayList<>();
        for (String part : names.split(",")) {
            Device d = parse(part);
            if (out.contains(d)) {
                throw new IllegalArgumentException("--device '" + names + "': " + part.trim() + " is listed twice");
            }
            out.add(d);
        }
        return out.toArray(new Device[0]);
    }

    /** Returns -1 for the CPU or the GPU index a device name gives, checking only its form. */
    private static int index(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("--device needs a value: " + NameSuggestions.hint(List.of(), FORMS));
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("cpu")) {
            return -1;
        }
        if (n.equals("gpu") || n.equals("cuda")) {
            return 0;
        }
        Matcher m = GPU.matcher(n);
        if (m.matches()) {
            if (n.startsWith("gpu:") || n.startsWith("cuda:")) {
                try {
                    int id = Integer.parseInt(m.group(1));
                    if (id >= 0) {
                        return id;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new IllegalArgumentException("--device '" + name + "': expected gpu:N with N a GPU index (0, 1, ...)");
            }
            // gpu1, gpu-1, cuda 1: the colon is missing.
            throw new IllegalArgumentException("unknown --device '" + name + "': " + NameSuggestions.hint(
                    List.of("gpu:" + m.group(1)), FORMS));
        }
        throw new IllegalArgumentException("unknown --device '" + name + "': "
                + NameSuggestions.hint(NameSuggestions.closest(n, List.of("cpu", "gpu", "cuda")), FORMS));
    }

    /**
     * Returns the canonical name of a device, the inverse of {@link #parse(String)}.
     *
     * @param device the device
     * @return {@code cpu} or {@code gpu:N}
     */
    public static String name(Device device) {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }
}
