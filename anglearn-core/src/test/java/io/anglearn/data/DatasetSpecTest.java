package io.anglearn.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Dataset names, the '+' variants and the options that apply to some datasets only. */
class DatasetSpecTest {

    @Test
    void parsesNamesAndVariants() {
        assertEquals(DatasetSpec.Kind.FASHION_MNIST, DatasetSpec.of("fashion-mnist").kind());
        assertEquals(DatasetSpec.Kind.CIFAR10, DatasetSpec.of("cifar-10").kind());
        DatasetSpec plus = DatasetSpec.of("cifar100+");
        assertEquals(DatasetSpec.Kind.CIFAR100, plus.kind());
        assertEquals(Augmentation.STANDARD, plus.augmentation());
        assertEquals(Augmentation.NONE, DatasetSpec.of("cifar10").augmentation());
        assertEquals(Augmentation.NONE, DatasetSpec.builder().setName("cifar10+").optAugment(false).build().augmentation());
        assertEquals(Augmentation.STANDARD, DatasetSpec.builder().setName("cifar10").optAugment(true).build().augmentation());
        DatasetSpec idx = DatasetSpec.of("idx:some/dir");
        assertEquals(DatasetSpec.Kind.IDX, idx.kind());
        assertEquals(Path.of("some/dir"), idx.path());
        assertEquals(LabelKind.COARSE, DatasetSpec.builder().setName("cifar100").optLabels(LabelKind.COARSE).build()
                .labels());
    }

    @Test
    void rejectsUnknownNamesAndMisplacedOptions() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetSpec.of("mnist"));
        assertTrue(e.getMessage().contains("unknown --dataset 'mnist'") && e.getMessage().contains("folder:PATH"));
        e = assertThrows(IllegalArgumentException.class,
                () -> DatasetSpec.builder().setName("cifar10").optLabels(LabelKind.COARSE).build());
        assertTrue(e.getMessage().contains("--label coarse applies only to cifar100"));
        assertThrows(IllegalArgumentException.class, () -> DatasetSpec.of("folder:"));
        assertThrows(IllegalArgumentException.class, () -> DatasetSpec.of(" "));
        assertThrows(IllegalArgumentException.class,
                () -> DatasetSpec.builder().setName("folder:x").optImageSize(2).build());
    }

    @Test
    void aMissingKnownDatasetSaysWhereItLookedAndHowToGetIt(@org.junit.jupiter.api.io.TempDir Path dir) {
        DatasetLocator locator = new DatasetLocator(dir, null, null);
        Exception e = assertThrows(DatasetLocator.DatasetNotFoundException.class,
                () -> Datasets.load(DatasetSpec.of("cifar10+"), locator));
        assertTrue(e.getMessage().contains(dir.resolve("cifar-10").toString())
                && e.getMessage().contains("anglearn data fetch cifar10"), e.getMessage());
        assertEquals(dir, locator.defaultStore());
    }
}
