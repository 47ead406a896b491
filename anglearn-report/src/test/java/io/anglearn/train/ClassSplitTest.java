package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.anglearn.data.ImageDataset;
import io.anglearn.report.HtmlReport;
import io.anglearn.record.RunArtifacts;
import io.anglearn.run.ResumeEqualityTest;
import io.anglearn.run.TrainedRun;
import io.anglearn.run.TrainingRun;
import io.anglearn.rundir.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Training on some classes and evaluating on others ({@code --train-classes}, {@code --test-classes})
 * with a {@code folder:} dataset: the labels are remapped, the setting is recorded and survives
 * resuming, and the test split of unseen classes is evaluated by retrieval with the classification
 * metrics marked not applicable.
 */
class ClassSplitTest {

    @TempDir
    static Path dir;
    static Path folder;

    /** Six classes of 12 grey 8×8 images; a quarter of each class is held out for testing. */
    @BeforeAll
    static void writeFolder() throws Exception {
        folder = SyntheticData.writeFolder(dir.resolve("images"), SyntheticData.images("six", 72, 6, 8, 4));
    }

    private static TrainingConfig config(String name) {
        TrainingConfig c = SyntheticData.folderConfig(folder, dir.resolve("runs"), name);
        c.epochs = 2;
        return c;
    }

    @Test
    void theSubsetsAreAppliedRelabelledAndDeterministic() throws Exception {
        TrainingConfig c = config("load");
        c.trainClasses = "0-3";
        c.testClasses = "5,4";
        c.validate();
        TrainingData d = TrainingData.load(c);
        assertEquals(List.of("class0", "class1", "class2", "class3"), d.train().classNames());
        assertEquals(List.of("class4", "class5"), d.test().classNames());
        assertEquals(36, d.train().size());
        assertEquals(6, d.test().size());
        assertFalse(d.sameClasses());
        assertFalse(c.testsTrainingClasses());
        assertTrue(c.evaluatesByRetrieval());
        for (int i = 0; i < d.test().size(); i++) {
            assertTrue(d.test().label(i) == 0 || d.test().label(i) == 1, "test labels are 0..1");
        }
        TrainingData again = TrainingData.load(c);
        assertEquals(TrainingData.checksum(d.train()), TrainingData.checksum(again.train()));
        assertEquals(TrainingData.checksum(d.test()), TrainingData.checksum(again.test()));

        // Only --train-classes: the test split holds the same classes, and classification applies.
        c.testClasses = null;
        TrainingData closed = TrainingData.load(c);
        assertTrue(closed.sameClasses());
        assertEquals(closed.train().classNames(), closed.test().classNames());
        assertEquals(12, closed.test().size());
        c.limitTrain = 5;
        ImageDataset limited = TrainingData.load(c).train();
        assertEquals(5, limited.size(), "the limit applies after the subset");
        assertEquals(4, limited.numClasses());
    }

    @Test
    void badSubsetsAreRefusedNamingTheOption() {
        TrainingConfig c = config("bad");
        c.testClasses = "0-1";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
        assertTrue(e.getMessage().contains("--test-classes needs --train-classes"), e.getMessage());
        c.trainClasses = "3";
        e = assertThrows(IllegalArgumentException.class, c::validate);
        assertTrue(e.getMessage().contains("--train-classes needs at least 2 classes"), e.getMessage());
        c.trainClasses = "0-1";
        c.testClasses = "2;3";
        e = assertThrows(IllegalArgumentException.class, c::validate);
        assertTrue(e.getMessage().startsWith("--test-classes takes class indices and ranges"), e.getMessage());
        c.testClasses = "4-7";
        c.validate();
        e = assertThrows(IllegalArgumentException.class, () -> TrainingData.load(c));
        assertTrue(e.getMessage().contains("--test-classes 4-7: class 6 is outside the 6 classes (0-5)"), e.getMessage());
    }

    @Test
    void unseenTestClassesAreEvaluatedByRetrievalAndTheSettingSurvivesResume() throws Exception {
        TrainingConfig c = config("unseen");
        c.loss = "arc";
        c.trainClasses = "0-3";
        c.testClasses = "4-5";
        c.checkpointEvery = 2;
        c.angleInterval = 1;
        TrainingRun.Result whole = new TrainingRun(c).execute(new TrainingListener() {});
        assertEquals(2, whole.epochs().size());
        for (EpochRecord r : whole.epochs()) {
            assertTrue(Double.isNaN(r.testTop1Error()) && Double.isNaN(r.testTop5Error()), "no errors on unseen classes");
            assertTrue(Double.isNaN(r.angles().wInter()) && Double.isNaN(r.angles().wcIntraRaw()), "no W statistics");
            assertTrue(Double.isFinite(r.angles().cInterRaw()));
            assertTrue(Double.isFinite(r.trainAccuracy()), "the head still classifies the training classes");
            assertNotNull(r.quality());
            assertEquals(6, r.quality().retrieval().queries());
        }
        JsonObject doc = JsonParser.parseString(Files.readString(whole.runDir().resolve("config.json"))).getAsJsonObject();
        assertEquals("0-3", doc.getAsJsonObject("config").get("trainClasses").getAsString());
        assertEquals("4-5", doc.getAsJsonObject("config").get("testClasses").getAsString());
        JsonObject resolved = doc.getAsJsonObject("resolved");
        assertEquals(4, resolved.get("numClasses").getAsInt());
        assertEquals("[\"class4\",\"class5\"]", resolved.get("testClassNames").toString());
        assertEquals("retrieval", resolved.get("evaluation").getAsString());
        assertEquals(36, resolved.get("trainImages").getAsInt());
        assertEquals(6, resolved.get("testImages").getAsInt());

        // Killed mid-epoch 2 (after step 5; checkpoint at step 4), resumed from its own config.json.
        TrainingConfig k = c.copy();
        k.name = "unseen-killed";
        assertThrows(IllegalStateException.class, () -> new TrainingRun(k).execute(new TrainingListener() {
            @Override
            public void onStep(StepContext s) {
                if (s.step() == 5) {
                    throw new IllegalStateException("killed");
                }
            }
        }));
        TrainingRun.Result resumed = TrainingRun.resume(dir.resolve("runs").resolve("unseen-killed"))
                .execute(new TrainingListener() {});
        ResumeEqualityTest.assertSameRecords(whole.epochs(), resumed.epochs());
        assertEquals(whole.epochs().get(1).quality(), resumed.epochs().get(1).quality());
        CheckpointStore.Checkpoint a = new CheckpointStore(whole.runDir().resolve("checkpoints"), 3).find("last");
        CheckpointStore.Checkpoint b = new CheckpointStore(resumed.runDir().resolve("checkpoints"), 3).find("last");
        assertArrayEquals(Files.readAllBytes(a.dir().resolve(CheckpointStore.MODEL_FILE)),
                Files.readAllBytes(b.dir().resolve(CheckpointStore.MODEL_FILE)));

        try (TrainedRun run = TrainedRun.open(whole.runDir())) {
            ImageDataset test = run.split("test");
            assertEquals(List.of("class4", "class5"), test.classNames());
            Evaluation e = run.evaluate(test);
            assertFalse(e.classified());
            assertEquals(whole.epochs().get(1).quality(), e.quality());
            // The training classes are classified as usual.
            Evaluation onTrain = run.evaluate(run.split("train"));
            assertTrue(onTrain.classified());
            assertEquals(4, onTrain.confusion().numClasses());
            // embed names the test split's own classes.
            TrainedRun.EmbeddingFiles f = run.writeEmbeddings(run.embed(test), dir.resolve("unseen.npy"), test.classNames());
            assertTrue(Files.readAllLines(f.metadataTsv()).get(1).matches("[01]\tclass[45]"));
            Path png = dir.resolve("one.png");
            Files.copy(Files.list(folder.resolve("class1")).sorted().findFirst().orElseThrow(), png);
            assertTrue(List.of("class0", "class1", "class2", "class3").contains(run.predict(List.of(png)).get(0).className()),
                    "prediction among the training classes");
        }

        RunArtifacts artifacts = RunArtifacts.load(whole.runDir());
        assertNull(artifacts.embedding().predictions());
        assertNull(artifacts.classWeights(), "class weights of the training classes are not the test classes'");
        assertTrue(artifacts.targetAngles().isEmpty());
        assertEquals(6, artifacts.anglesByIteration().get("step").length, "angle rows at steps 1..6, C-Inter only");
        assertTrue(Double.isNaN(artifacts.anglesByIteration().get("wc_intra")[0]));
        assertTrue(Files.exists(whole.runDir().resolve(RunFiles.EMBEDDING_QUALITY)));
        assertFalse(Files.exists(whole.runDir().resolve(RunFiles.CLASS_WEIGHTS)));
        String html = HtmlReport.builder().addRun(artifacts).build().render();
        assertTrue(html.contains("the run does not classify its test classes"));
    }
}
