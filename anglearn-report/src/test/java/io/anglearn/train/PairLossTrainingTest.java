package io.anglearn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.report.HtmlReport;
import io.anglearn.record.RunArtifacts;
import io.anglearn.run.ResumeEqualityTest;
import io.anglearn.run.TrainedRun;
import io.anglearn.run.TrainingRun;
import io.anglearn.rundir.RunFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each pair loss, with a miner and the m-per-class sampler, trains a small network end to end: the
 * run is evaluated by retrieval, checkpoints, resumes from a mid-epoch checkpoint to the very same
 * weights, optimiser state and records as an uninterrupted run, and its directory serves
 * {@code evaluate}, {@code embed} and the report, while {@code predict} refuses clearly.
 */
class PairLossTrainingTest {

    /** Simulates a crash after an optimiser step. */
    private static final class Kill extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    static Stream<Arguments> setups() {
        return Stream.of(
                Arguments.of("triplet", "batch-hard", Map.of()),
                Arguments.of("contrastive", "multi-similarity", Map.of()),
                Arguments.of("multi-similarity", "semi-hard", Map.of("margin", 0.5)));
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("setups")
    void trainsCheckpointsResumesExactlyAndEvaluatesByRetrieval(String loss, String miner, Map<String, Double> minerParams,
            @TempDir Path runs) throws Exception {
        TrainingData data = SyntheticData.small();
        TrainingConfig c = SyntheticData.smallConfig(runs.toString(), "whole");
        c.loss = loss;
        c.miner = miner;
        c.minerParams = new java.util.LinkedHashMap<>(minerParams);
        c.sampler = "m-per-class:4"; // batches of 16: 4 images of each of the 4 classes
        c.epochs = 2;
        c.checkpointEvery = 3;
        c.angleInterval = 2;
        TrainingRun.Result whole = new TrainingRun(c, data).execute(new TrainingListener() {});

        TrainingConfig k = c.copy();
        k.name = "killed";
        // 4 steps per epoch; checkpoints after steps 3, 4, 6 and 8. Killed after step 7: resumes from step 6.
        assertThrows(Kill.class, () -> new TrainingRun(k, data).execute(new TrainingListener() {
            @Override
            public void onStep(StepContext s) {
                if (s.step() == 7) {
                    throw new Kill();
                }
            }
        }));
        Path killedDir = runs.resolve("killed");
        TrainingRun.Result resumed = TrainingRun.resume(killedDir, data).execute(new TrainingListener() {});
        assertTrue(Files.readString(killedDir.resolve("train.log")).contains("resumed from step-000000006"));

        ResumeEqualityTest.assertSameRecords(whole.epochs(), resumed.epochs());
        for (int i = 0; i < 2; i++) {
            EpochRecord r = whole.epochs().get(i);
            assertEquals(r.quality(), resumed.epochs().get(i).quality(), "epoch " + (i + 1) + " retrieval metrics");
            assertNotNull(r.quality(), "evaluated by retrieval");
            assertTrue(r.evaluated());
            assertTrue(Double.isNaN(r.testTop1Error()) && Double.isNaN(r.trainAccuracy()), "no classification");
            assertTrue(Double.isNaN(r.angles().wInter()) && Double.isNaN(r.angles().wcIntraRaw()));
            assertTrue(Double.isFinite(r.angles().cInterRaw()) && Double.isFinite(r.trainLoss()));
            assertTrue(r.quality().retrieval().precisionAt1() >= 0 && r.quality().retrieval().mapAtR() <= 1);
            assertEquals(32, r.quality().retrieval().queries());
        }
        CheckpointStore.Checkpoint a = new CheckpointStore(whole.runDir().resolve("checkpoints"), 3).find("last");
        CheckpointStore.Checkpoint b = new CheckpointStore(resumed.runDir().resolve("checkpoints"), 3).find("last");
        assertEquals(8, a.step());
        for (String f : List.of(CheckpointStore.MODEL_FILE, CheckpointStore.OPTIMIZER_FILE)) {
            assertArrayEquals(Files.readAllBytes(a.dir().resolve(f)), Files.readAllBytes(b.dir().resolve(f)),
                    f + " differs between the uninterrupted and the resumed run");
        }
        assertEquals(Files.readString(whole.runDir().resolve(RunFiles.ANGLES_BY_ITERATION)),
                Files.readString(killedDir.resolve(RunFiles.ANGLES_BY_ITERATION)));

        // The best checkpoint is the one with the highest MAP@R.
        int bestEpoch = whole.epochs().get(1).mapAtR() > whole.epochs().get(0).mapAtR() ? 2 : 1;
        CheckpointStore.Checkpoint best = new CheckpointStore(whole.runDir().resolve("checkpoints"), 3).find("best");
        assertEquals(4L * bestEpoch, best.step());

        String config = Files.readString(whole.runDir().resolve("config.json"));
        assertTrue(config.contains("\"sampler\": \"m-per-class:4\"") && config.contains("\"miner\": \"" + miner + "\""),
                config);
        assertTrue(config.contains("\"evaluation\": \"retrieval\""), config);
        List<String> csv = Files.readAllLines(whole.runDir().resolve("metrics.csv"));
        assertTrue(csv.get(0).endsWith("p_at_1,r_precision,map_at_r,nmi"), csv.get(0));

        try (TrainedRun run = TrainedRun.open(whole.runDir())) {
            assertFalse(run.classifies(data.test()));
            Evaluation e = run.evaluate(data.test());
            assertFalse(e.classified());
            assertNull(e.confusion());
            assertTrue(Double.isNaN(e.top1Error()));
            // The checkpoint of the last step is the one the last epoch was evaluated with.
            assertEquals(whole.epochs().get(1).quality(), e.quality());
            assertEquals(whole.epochs().get(1).angles(), e.angles());
            Embeddings emb = run.embed(data.test());
            assertEquals(0, emb.numClasses());
            assertEquals(32, emb.count());
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> run.predict(List.of(whole.runDir().resolve("config.json"))));
            assertTrue(refused.getMessage().contains("was trained with the pair loss '" + loss + "'")
                    && refused.getMessage().contains("anglearn embed"), refused.getMessage());
        }

        RunArtifacts artifacts = RunArtifacts.load(whole.runDir());
        assertNull(artifacts.classWeights(), "no class weights to record");
        assertNull(artifacts.embedding().predictions(), "no predictions to record");
        assertTrue(artifacts.targetAngles().isEmpty(), "no target angles without class weights");
        assertNotNull(artifacts.quality().get("map_at_r"));
        String html = HtmlReport.builder().addRun(artifacts).build().render();
        assertTrue(html.contains("the run does not classify its test classes"), "the confusion matrix is explained");
        assertTrue(html.contains("Test MAP@R by epoch"));
    }
}
