package io.anglearn.run;

import io.anglearn.data.BatchLoader;
import io.anglearn.data.Normalization;
import io.anglearn.metrics.AngleStatistics;
import io.anglearn.metrics.EmbeddingAccumulator;
import io.anglearn.metrics.EmbeddingQuality;
import io.anglearn.record.MetricsTable;
import io.anglearn.record.RunLog;
import io.anglearn.rundir.RunFiles;
import io.anglearn.train.EpochProgress;
import io.anglearn.train.EpochRecord;
import io.anglearn.train.Embeddings;
import io.anglearn.train.Schedule;
import io.anglearn.train.Trainer;
import io.anglearn.train.TrainingConfig;
import io.anglearn.train.TrainingData;
import io.anglearn.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The epochs of a run, from where its {@link RunState} stands to the configured number: each
 * epoch is trained, evaluated when due ({@link TrainingConfig#evalEvery}, and after the last),
 * recorded in the metrics tables, checkpointed and logged, in that order, so that a checkpoint
 * never claims an epoch whose metrics are not on disk.
 *
 * <p>Evaluation is by classification when the run {@code classifies} (top-1/top-5 error and the
 * angle statistics of Wu &amp; Wang, arXiv:1912.07819, §3), otherwise by retrieval (precision@1,
 * R-precision, MAP@R and k-means NMI, {@link EmbeddingQuality}, and C-Inter).
 */
final class EpochLoop {

    private final TrainingConfig config;
    private final Path runDir;
    private final TrainingData data;
    private final Normalization norm;
    private final BatchLoader loader;
    private final Schedule schedule;
    private final Trainer trainer;
    private final RunState state;
    private final RunLog log;
    private final boolean classifies;

    EpochLoop(TrainingConfig config, Path runDir, RunResolution resolution, BatchLoader loader, Schedule schedule,
            RunState state, RunLog log) {
        this.config = config;
        this.runDir = runDir;
        this.data = resolution.data();
        this.norm = resolution.norm();
        this.loader = loader;
        this.schedule = schedule;
        this.trainer = resolution.trainer();
        this.state = state;
        this.log = log;
        this.classifies = resolution.classifies();
    }

    /**
     * Trains the remaining epochs.
     *
     * @param listener the run's listeners, in order
     * @return every epoch's record
     * @throws IOException if the run directory cannot be written; the log then says why it stopped
     */
    List<EpochRecord> run(TrainingListener listener) throws IOException {
        listener.onTrainingStart(trainer);
        try {
            while (state.progress().epoch() <= config.epochs) {
                int epoch = state.progress().epoch();
                trainer.trainEpoch(loader, state.progress(), listener);
                EpochRecord r = record(epoch, listener);
                state.finishEpoch(r);
                List<EpochRecord> records = state.records();
                MetricsTable.write(RunFiles.metrics(runDir), records);
                MetricsTable.writeJsonLines(RunFiles.metricsJsonLines(runDir), records);
                Path saved = state.save();
                log.log(describe(r, saved));
                listener.onEpochEnd(r);
            }
        } catch (RuntimeException | IOException e) {
            try {
                log.log("stopped by " + e);
            } catch (IOException logFailed) {
                // A full disk can refuse the log line too; the original failure is what matters.
                e.addSuppressed(logFailed);
            }
            throw e;
        }
        List<EpochRecord> records = state.records();
        listener.onTrainingEnd(records);
        return records;
    }

    /** Measures the epoch just trained, evaluating on the test split when due. */
    private EpochRecord record(int epoch, TrainingListener listener) throws IOException {
        EpochProgress p = state.progress();
        EpochRecord.Builder r = EpochRecord.builder().setEpoch(epoch).setTrainLoss(p.meanLoss())
                .optTrainAccuracy(trainer.headless() ? Double.NaN : p.accuracy())
                .setLearningRate(schedule.learningRate(Math.max(0, trainer.steps() - 1)))
                .setTiming(p.seconds(), p.images() / p.seconds(), p.modelSeconds())
                .optSkippedBatches(p.skippedBatches());
        if (!(epoch % config.evalEvery == 0 || epoch == config.epochs)) {
            return r.build();
        }
        log.log("epoch " + epoch + ": evaluating on " + data.test().size() + " test images");
        listener.onEvaluationStart(epoch, data.test().size());
        // One pass over the test split serves the metrics and the listeners' analytics.
        Embeddings test = trainer.inference().embed(data.test(), norm, Math.max(config.batchSize, 256));
        if (classifies) {
            EmbeddingAccumulator acc = new EmbeddingAccumulator(test.numClasses(), test.dim());
            acc.add(test.features(), test.scores(), test.labels());
            double[][] weights = trainer.classWeights();
            AngleStatistics angles = acc.angles(weights);
            listener.onEvaluation(epoch, test, weights);
            return r.optTestErrors(acc.top1Error(), acc.top5Error()).optAngles(angles).build();
        }
        AngleStatistics angles = AngleStatistics.withoutWeights(test.features(), test.dim(), test.labels());
        EmbeddingQuality quality = EmbeddingQuality.evaluate(test.features(), test.dim(), test.labels(), config.seed);
        listener.onEvaluation(epoch, test, null);
        return r.optAngles(angles).optQuality(quality).build();
    }

    /** The epoch's line in the run's log. */
    private String describe(EpochRecord r, Path saved) {
        String measured = classifies
                ? String.format(Locale.ROOT, "train acc %.2f%%, test top-1 err %.2f%%, WC-Intra %.4f",
                        r.trainAccuracy(), r.testTop1Error(), r.angles().wcIntraRaw())
                : String.format(Locale.ROOT, "test P@1 %.4f, MAP@R %.4f, C-Inter %.4f",
                        r.quality() == null ? Double.NaN : r.quality().retrieval().precisionAt1(), r.mapAtR(),
                        r.angles().cInterRaw());
        return String.format(Locale.ROOT, "epoch %d: loss %.4f, %s, lr %.3g, %.1f s (model %.1f s), checkpoint %s%s",
                r.epoch(), r.trainLoss(), measured, r.learningRate(), r.seconds(), r.modelSeconds(),
                saved.getFileName(),
                r.skippedBatches() == 0 ? "" : ", " + r.skippedBatches() + " batches skipped (non-finite)");
    }
}
