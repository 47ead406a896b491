package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The protocol holds the paper's Table 1 (SPEC §4) and finds a dataset however it is spelt. */
class PaperProtocolTest {

    @Test
    void holdsTable1() {
        PaperProtocol.Dataset f = PaperProtocol.FASHION_MNIST;
        assertEquals(List.of("resnet20", "60", "256"), List.of(f.arch(), "" + f.epochs(), "" + f.batchSize()));
        assertEquals(List.of(0.1, 0.01, 0.1, 0.1), PaperProtocol.LOSSES.stream().map(f::rate).toList());
        for (PaperProtocol.Dataset c : List.of(PaperProtocol.CIFAR10, PaperProtocol.CIFAR100)) {
            assertEquals(160, c.epochs());
            assertEquals(128, c.batchSize());
            assertEquals(List.of(0.01, 0.01, 0.1, 0.1), PaperProtocol.LOSSES.stream().map(c::rate).toList());
        }
        assertEquals("resnet18", PaperProtocol.CIFAR10.arch());
        assertEquals("resnet34", PaperProtocol.CIFAR100.arch());
        assertEquals("ResNet34", PaperProtocol.CIFAR100.archLabel());
        assertEquals("0.1 or 0.01", f.ratesText());
        assertThrows(IllegalArgumentException.class, () -> f.rate("cosface"));
    }

    @Test
    void findsADatasetWhateverItsSpelling() {
        assertSame(PaperProtocol.CIFAR10, PaperProtocol.find("cifar10+"));
        assertSame(PaperProtocol.FASHION_MNIST, PaperProtocol.find("Fashion_MNIST"));
        assertSame(PaperProtocol.CIFAR100, PaperProtocol.find("CIFAR-100+"));
        assertNull(PaperProtocol.find("mnist"));
    }

    @Test
    void appliesTheRowAndTheOptimisation() {
        TrainingConfig c = new TrainingConfig();
        c.optimizer = "sgd";
        c.schedule = "step";
        c.weightDecay = 0;
        PaperProtocol.apply(PaperProtocol.CIFAR100, 0.05, c);
        assertEquals(List.of("resnet34", "160", "128", "adam", "one-cycle", "5.0E-4", "0.05"), List.of(c.arch,
                "" + c.epochs, "" + c.batchSize, c.optimizer, c.schedule, "" + c.weightDecay, "" + c.learningRate));
        assertEquals("fashion-mnist", c.dataset, "the dataset is the caller's");
    }
}
