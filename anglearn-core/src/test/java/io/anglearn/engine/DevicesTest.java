package io.anglearn.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class DevicesTest {

    @Test
    void parsesCpu() {
        assertEquals(Device.cpu(), Devices.parse("cpu"));
        assertEquals(Device.cpu(), Devices.parse(" CPU "));
        assertEquals("cpu", Devices.name(Device.cpu()));
        assertEquals("gpu:1", Devices.name(Device.gpu(1)));
    }

    @Test
    void rejectsMalformedNamesWithTheExpectedForm() {
        for (String bad : new String[] {"", "tpu", "gpu:", "gpu:x", "gpu:-1", "gpu0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.parse(bad), bad);
            assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("expected"), e.getMessage());
            assertTrue(e.getMessage().startsWith("--device") || e.getMessage().startsWith("unknown --device"),
                    e.getMessage());
        }
    }

    @Test
    void aGpuThatIsNotThereIsRefusedClearly() {
        int gpus = Engines.pytorch().getGpuCount();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Devices.parse("gpu:" + gpus));
        assertTrue(e.getMessage().startsWith("--device 'gpu:" + gpus + "'"), e.getMessage());
    }

    @Test
    void suggestsTheClosestFormForATypo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.parse("tpu"));
        assertTrue(e.getMessage().startsWith("unknown --device 'tpu': did you mean 'cpu' or 'gpu'?"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Devices.checkNames("cpu,gpu1"));
        assertTrue(e.getMessage().startsWith("unknown --device 'gpu1': did you mean 'gpu:1'?"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Devices.checkNames("gpu:0,gpu:0"));
        assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Devices.checkNames("cpu,"));
        Devices.checkNames("cpu");
        Devices.checkNames("gpu:0,gpu:1");
    }

    @Test
    void rejectsDuplicatesInAList() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Devices.parseList("cpu,cpu"));
        assertTrue(e.getMessage().contains("listed twice"), e.getMessage());
        assertEquals(1, Devices.parseList("cpu").length);
    }

    @Test
    void explainsNativeFailuresInOneLine() {
        String msg = Engines.explain(new RuntimeException("outer", new UnsatisfiedLinkError("libtorch.so:\n cannot open")));
        assertTrue(msg.startsWith("PyTorch native library could not be loaded (libtorch.so: cannot open)"), msg);
        assertEquals(1, msg.lines().count());
    }
}
