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

    @Test
    void anExplicitDataDirIsTheOnlyPlaceSearchedAndItsGapsAreNamed(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        // A complete copy where $ANGLEARN_DATA points must not stand in for what --data-dir lacks.
        Path env = java.nio.file.Files.createDirectories(dir.resolve("env/fashion-mnist"));
        for (String f : IdxDataset.FILES) {
            java.nio.file.Files.write(env.resolve(f), new byte[] {0});
        }
        Path mine = java.nio.file.Files.createDirectories(dir.resolve("mine/fashion-mnist"));
        java.nio.file.Files.write(mine.resolve("train-images-idx3-ubyte.gz"), new byte[] {0});
        DatasetLocator explicit = new DatasetLocator(dir.resolve("mine"), dir.resolve("env").toString(), null);
        assertEquals(java.util.List.of(dir.resolve("mine")), explicit.roots());
        Exception e = assertThrows(DatasetLocator.DatasetNotFoundException.class, () -> FashionMnist.locate(explicit));
        String m = e.getMessage();
        assertTrue(m.startsWith("dataset 'fashion-mnist' is not in --data-dir " + dir.resolve("mine") + ": "), m);
        assertTrue(m.contains(mine + " lacks train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte"
                + " (plain or .gz)"), m);
        assertTrue(!m.contains(env.toString()), "the copy elsewhere is not offered: " + m);
        // Without --data-dir the search goes on to $ANGLEARN_DATA.
        DatasetLocator search = new DatasetLocator(null, dir.resolve("env").toString(), null);
        assertEquals(env, FashionMnist.locate(search));
    }
}
