package io.anglearn.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses the device names the command line and configuration files accept.
 *
 * <p>Accepted forms: {@code cpu}, {@code gpu} (the first GPU), {@code gpu:N}, and, for several
 * devices, a comma-separated list such as {@code gpu:0,gpu:1}.
 */
public final class Devices {

    private Devices() {}

    /**
     * Parses one device name.
     *
     * @param name the name, e.g. {@code cpu} or {@code gpu:1}
     * @return the device
     * @throws IllegalArgumentException if the name is malformed, or names a GPU that is not there
     */
    public static Device parse(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("device: expected cpu, gpu or gpu:N, got an empty value");
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (n.equals("cpu")) {
            return Device.cpu();
        }
        int id;
        if (n.equals("gpu") || n.equals("cuda")) {
            id = 0;
        } else if (n.startsWith("gpu:") || n.startsWith("cuda:")) {
            String num = n.substring(n.indexOf(':') + 1);
            try {
                id = Integer.parseInt(num);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "device '" + name + "': expected gpu:N with N a GPU index (0, 1, ...)");
            }
            if (id < 0) {
                throw new IllegalArgumentException("device '" + name + "': GPU index must be >= 0");
            }
        } else {
            throw new IllegalArgumentException("device '" + name + "': expected cpu, gpu or gpu:N");
        }
        Engine engine = Engines.pytorch();
        int gpus = engine.getGpuCount();
        if (id >= gpus) {
            throw new IllegalArgumentException(
                    "device '" + name + "': " + (gpus == 0
                            ? "no CUDA GPU is visible to PyTorch (the CPU natives are in use; see README, 'GPU')"
                            : "only " + gpus + " GPU(s) visible (gpu:0 to gpu:" + (gpus - 1) + ")"));
        }
        return Device.gpu(id);
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
                throw new IllegalArgumentException("devices '" + names + "': " + part.trim() + " is listed twice");
            }
            out.add(d);
        }
        return out.toArray(new Device[0]);
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
