package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anglearn.run.TrainingRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dividing a dataset by class ({@code --split-classes}): the training split gets every image of
 * the training classes, the test split every image of classes never trained on, which are
 * evaluated by retrieval; and a {@code folder:} dataset whose {@code test/} holds other classes
 * than its {@code train/} is trained and evaluated the same way without any option.
 */
class SplitClassesTest {

    @TempDir
    static Path dir;
    static Path folder;

    /** Six classes of 12 grey 8×8 images each. */
    @BeforeAll
    static void writeFolder() throws Exception {
        folder = SyntheticData.writeFolder(dir.resolve("images"), SyntheticData.images("six", 72, 6, 8, 4));
    }

    private static TrainingConfig config(String name) {
        TrainingConfig c = SyntheticData.folderConfig(folder, dir.resolve("runs"), name);
        c.splitClasses = true;
        return c;
    }

    @Test
    void byDefaultTheLastClassesAreHeldOutWithEveryImage() throws Exception {
        TrainingConfig c = config("default");
        c.validate();
        assertFalse(c.testsTrainingClasses());
        assertTrue(c.evaluatesByRetrieval());
        TrainingData d = TrainingData.load(c);
        // round(0.25 × 6) = 2 test classes, the last two; all 12 images of each class in one split.
        assertEquals(List.of("class0", "class1", "class2", "class3"), d.train().classNames());
        assertEquals(List.of("class4", "class5"), d.test().classNames());
        assertEquals(48, d.train().size());
        assertEquals(24, d.test().size());
        assertFalse(d.sameClasses());
        assertEquals("divided by class: every image of classes 0-3 for training, of classes 4-5 for testing",
                d.layout());
        assertTrue(d.test().source(0).startsWith(folder.resolve("class4").toString()), d.test().source(0));
        assertTrue(d.test().name().endsWith("/all[classes 4-5]"), "the test split is not named a training split: "
                + d.test().name());
    }

    @Test
    void eitherSubsetAloneMeansTheOtherIsEveryRemainingClass() throws Exception {
        TrainingConfig c = config("subsets");
        c.testClasses = "0,5";
        c.validate();
        TrainingData d = TrainingData.load(c);
        assertEquals(List.of("class1", "class2", "class3", "class4"), d.train().classNames());
        assertEquals(List.of("class0", "class5"), d.test().classNames());
        c.testClasses = null;
        c.trainClasses = "0-2";
        d = TrainingData.load(c);
        assertEquals(List.of("class3", "class4", "class5"), d.test().classNames());
        assertEquals(36, d.test().size());
    }

    @Test
    void overlappingOrTooSmallSplitsAreRefused() {
        TrainingConfig c = config("bad");
        c.trainClasses = "0-3";
        c.testClasses = "3-5";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
        assertTrue(e.getMessage().contains("--split-classes needs --train-classes and --test-classes without a class"
                + " in common") && e.getMessage().contains("class 3 is in both"), e.getMessage());
        c.trainClasses = "0-4";
        c.testClasses = null;
        c.validate();
        e = assertThrows(IllegalArgumentException.class, () -> TrainingData.load(c));
        assertTrue(e.getMessage().contains("--test-classes would be '5'") && e.getMessage().contains("at least 2"),
                e.getMessage());
    }

    @Test
    void aRunOnHeldOutClassesReportsRetrievalAndSkipsClassification() throws Exception {
        TrainingConfig c = config("run");
        List<RunSummary> summaries = new ArrayList<>();
        List<String> events = new ArrayList<>();
        TrainingRun.Result r = new TrainingRun(c).execute(new TrainingListener() {
            @Override
            public void onRunStart(RunSummary s) {
                summaries.add(s);
                events.add("start");
            }

            @Override
            public void onStep(StepContext s) {
                events.add("step");
            }

            @Override
            public void onEvaluationStart(int epoch, int images) {
                events.add("evaluating epoch " + epoch + " on " + images);
            }

            @Override
            public void onEpochEnd(EpochRecord rec) {
                events.add("end");
            }
        });
        assertEquals(List.of("start", "step", "step", "step", "step", "evaluating epoch 1 on 24", "end"), events,
                "the summary before the first step, the evaluation announced after the epoch's training");
        EpochRecord last = r.epochs().get(0);
        assertTrue(Double.isNaN(last.testTop1Error()) && Double.isNaN(last.testTop5Error()));
        assertEquals(24, last.quality().retrieval().queries());
        assertTrue(Double.isFinite(last.mapAtR()));
        assertTrue(Double.isFinite(last.quality().nmi()));
        JsonObject doc = JsonParser.parseString(Files.readString(r.runDir().resolve("config.json"))).getAsJsonObject();
        assertTrue(doc.getAsJsonObject("config").get("splitClasses").getAsBoolean());
        JsonObject resolved = doc.getAsJsonObject("resolved");
        assertEquals("retrieval", resolved.get("evaluation").getAsString());
        assertEquals("[\"class4\",\"class5\"]", resolved.get("testClassNames").toString());
        assertEquals("divided by class: every image of classes 0-3 for training, of classes 4-5 for testing",
                resolved.get("datasetLayout").getAsString());

        // The summary says where the data came from, what is trained on and how the rest is evaluated.
        assertEquals(1, summaries.size());
        List<String> lines = summaries.get(0).lines();
        assertEquals("data      folder:" + folder + " from " + folder.toAbsolutePath().normalize(), lines.get(0));
        assertEquals("          divided by class: every image of classes 0-3 for training, of classes 4-5 for testing",
                lines.get(1));
        assertEquals("classes   4 to train on: class0, class1, class2, class3", lines.get(2));
        assertEquals("          test split: 2 classes, none of them trained on: class4, class5", lines.get(3));
        assertEquals("          evaluated by retrieval (the network has no class weights for classes it was not"
                + " trained on): P@1, R-precision, MAP@R, NMI, C-Inter", lines.get(4));
        assertEquals("images    48 for training, 24 for testing; 1x8x8 (grey); augmentation none", lines.get(5));
        assertEquals("steps     4 per epoch (batch 12, sampler shuffle), 1 epoch, 4 steps in all; adam, one-cycle to lr 0.00300",
                lines.get(6));
        assertTrue(lines.get(7).matches("model     resnet20, [0-9,]+ parameters, loss arc, on cpu"), lines.get(7));
        assertEquals("run       " + r.runDir(), lines.get(8));
        assertEquals(9, lines.size());
    }

    @Test
    void trainAndTestFoldersOfDifferentClassesAreEvaluatedByRetrieval() throws Exception {
        Path split = dir.resolve("split");
        SyntheticData.writeFolder(split.resolve("train"), SyntheticData.images("tr", 24, 3, 8, 5));
        Path test = split.resolve("test");
        SyntheticData.writeFolder(test, SyntheticData.images("te", 24, 6, 8, 6));
        for (String seen : List.of("class0", "class1", "class2")) {
            try (var s = Files.walk(test.resolve(seen))) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        TrainingConfig c = config("folders");
        c.dataset = "folder:" + split;
        c.splitClasses = false;
        c.validate();
        TrainingData d = TrainingData.load(c);
        assertEquals(List.of("class0", "class1", "class2"), d.train().classNames());
        assertEquals(List.of("class3", "class4", "class5"), d.test().classNames());
        assertFalse(d.sameClasses());
        TrainingRun.Result r = new TrainingRun(c).execute(new TrainingListener() {});
        assertEquals(12, r.epochs().get(0).quality().retrieval().queries());
        assertTrue(Double.isNaN(r.epochs().get(0).testTop1Error()));
        // --split-classes on such a folder is refused: it is divided by class already.
        c.splitClasses = true;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingData.load(c));
        assertTrue(e.getMessage().contains("drop --split-classes"), e.getMessage());
    }
}
