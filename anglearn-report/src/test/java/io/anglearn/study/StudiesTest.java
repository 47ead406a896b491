package io.anglearn.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.train.TrainingConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class StudiesTest {

    @Test
    void everyStudyHasUniqueValidCells() {
        for (String name : Studies.NAMES) {
            for (Scale scale : Scale.values()) {
                Study s = Studies.create(name, scale, 3);
                Set<String> ids = new HashSet<>();
                for (StudyCell c : s.cells()) {
                    assertTrue(ids.add(c.id()), "duplicate cell " + c.id() + " in " + name);
                    c.config().validate();
                    assertEquals(c.seed(), c.config().seed);
                }
                assertEquals(0, s.cells().size() % 3, name + ": every setting has 3 seeds");
            }
        }
    }

    @Test
    void theAblationChangesOneChoiceOfTable5sCellsPerRow() {
        Study t5 = Studies.create("table5", Scale.FULL, 2);
        Study ab = Studies.create("ablation", Scale.FULL, 2);
        assertEquals(5 * 2 * 2, ab.cells().size(), "5 choices, soft and arc, 2 seeds");
        Map<String, TrainingConfig> base = t5.cells().stream().collect(Collectors.toMap(StudyCell::id, StudyCell::config));
        Set<String> changed = new HashSet<>();
        for (StudyCell c : ab.cells()) {
            TrainingConfig b = base.get("fmnist_" + c.column() + "_s" + c.seed()).copy();
            TrainingConfig a = c.config().copy();
            a.name = b.name;
            // Exactly one of the three differs from Table 5's cell of the same loss and seed.
            int differences = (a.shortcut == null ? 0 : 1) + (a.convInit.equals(b.convInit) ? 0 : 1)
                    + (a.classInit.equals(b.classInit) ? 0 : 1) + (a.adamEpsilon.equals(b.adamEpsilon) ? 0 : 1)
                    + (a.keepLastBatch == b.keepLastBatch ? 0 : 1);
            assertEquals(1, differences, c.id());
            a.shortcut = b.shortcut;
            a.convInit = b.convInit;
            a.classInit = b.classInit;
            a.adamEpsilon = b.adamEpsilon;
            a.keepLastBatch = b.keepLastBatch;
            assertEquals(b.toJson(), a.toJson(), c.id());
            changed.add(c.row());
        }
        assertEquals(5, changed.size());
    }

    @Test
    void figure7sCellsAreTable6sAtEveryScale() {
        for (Scale scale : Scale.values()) {
            Study f7 = Studies.create("figure7", scale, 2);
            Map<String, String> t6 = Studies.create("table6", scale, 2).cells().stream()
                    .collect(Collectors.toMap(StudyCell::id, c -> c.config().toJson()));
            assertEquals("table6", f7.runsOf());
            for (StudyCell c : f7.cells()) {
                assertEquals(t6.get(c.id()), c.config().toJson(), scale + " " + c.id());
            }
            StudyRunner r = new StudyRunner(f7, java.nio.file.Path.of("results"), "cpu", null);
            assertEquals(java.nio.file.Path.of("results", "table6", "runs"), r.runsDir());
            assertEquals(java.nio.file.Path.of("results", "figure7"), r.studyDir());
            // Shrunk for a smoke run, its cells are no longer Table 6's and get run directories of their own.
            assertEquals(null, f7.withOverrides(1, 0, 0).runsOf());
            assertEquals("table6", f7.withColumns(List.of("arc")).runsOf());
        }
    }

    @Test
    void thePaperBudgetScaleIsThePaperScaleWithOneRateForEveryLoss() {
        assertEquals(Scale.PAPER_BUDGET, Scale.parse("paper-budget"));
        assertEquals("paper-budget", Scale.PAPER_BUDGET.id());
        assertEquals(java.nio.file.Path.of("results", "paper-budget"), Scale.PAPER_BUDGET.resultsDir(java.nio.file.Path.of("results")));
        Study paper = Studies.create("table5", Scale.PAPER, 1);
        Study budget = Studies.create("table5", Scale.PAPER_BUDGET, 2);
        assertEquals(Map.of("soft", 0.1, "center", 0.01, "arcface", 0.1, "arc", 0.1), paper.cells().stream()
                .collect(Collectors.toMap(StudyCell::column, c -> c.config().learningRate)));
        for (StudyCell c : budget.cells()) {
            TrainingConfig p = paper.cells().stream().filter(x -> x.column().equals(c.column())).findFirst().get().config();
            assertEquals(0.003, c.config().learningRate, c.id());
            assertEquals(60, c.config().epochs, c.id());
            TrainingConfig same = c.config().copy();
            same.learningRate = p.learningRate;
            same.seed = p.seed;
            same.name = p.name;
            assertEquals(p.toJson(), same.toJson(), "only the rate differs from the paper scale: " + c.id());
        }
        assertTrue(budget.notes().startsWith("Paper-budget scale: ResNet20, 60 epochs, batch 256, peak lr 3e-3 for every"
                + " loss (paper: 0.1 or 0.01)"), budget.notes());
        Study k = Studies.create("figure5", Scale.PAPER_BUDGET, 2);
        assertEquals(List.of("k1_arc_s1", "k1_arc_s2", "k16_arc_s1", "k16_arc_s2"), k.cells().stream().map(StudyCell::id).toList());
        for (StudyCell c : k.cells()) {
            assertEquals(200, c.config().angleInterval);
            assertEquals(0.003, c.config().learningRate);
            assertEquals(60, c.config().epochs);
        }
    }

    @Test
    void theUnseenClassStudyGivesEveryLossTheSameNetworkAndBudget() {
        Study cpu = Studies.create("unseen", Scale.CPU, 2, dataset -> false);
        assertEquals(2 * 7 * 2, cpu.cells().size(), "Fashion-MNIST and CIFAR-10, 7 losses, 2 seeds");
        assertEquals(List.of("soft", "arcface", "cosface", "arc", "contrastive", "triplet", "multi-similarity"),
                cpu.cells().stream().map(StudyCell::column).distinct().toList());
        assertEquals(List.of("map_at_r", "p_at_1", "r_precision", "nmi"), cpu.metrics());
        assertTrue(cpu.notes().contains("CIFAR-100 (fine labels 0-49 / 50-99) was not found"), cpu.notes());
        for (StudyCell c : cpu.cells()) {
            TrainingConfig cfg = c.config();
            assertEquals("0-4", cfg.trainClasses, c.id());
            assertEquals("5-9", cfg.testClasses, c.id());
            assertTrue(cfg.evaluatesByRetrieval(), c.id());
            assertEquals("resnet20/3/100/5000/0.003/one-cycle/64", budget(cfg).substring(budget(cfg).indexOf('/') + 1));
            assertEquals(0, cfg.limitTest, "every test image of the unseen classes");
            boolean pair = List.of("contrastive", "triplet", "multi-similarity").contains(c.column());
            assertEquals(pair ? "m-per-class:20" : "shuffle", cfg.sampler, c.id());
            assertEquals(Map.of("triplet", "batch-hard", "multi-similarity", "multi-similarity").get(c.column()),
                    cfg.miner, c.id());
        }
        Study withCifar100 = Studies.create("unseen", Scale.CPU, 2, "cifar100"::equals);
        List<StudyCell> c100 = withCifar100.cells().stream().filter(c -> c.config().dataset.equals("cifar100")).toList();
        assertEquals(14, c100.size());
        assertTrue(c100.stream().allMatch(c -> c.config().trainClasses.equals("0-49")
                && c.config().testClasses.equals("50-99") && c.config().labels.equals("fine")));
        assertEquals(42, Studies.create("unseen", Scale.PAPER, 2).cells().size(), "every row where data is not looked up");
    }

    @Test
    void paperScaleFollowsTable1() {
        Study t6 = Studies.create("table6", Scale.PAPER, 1);
        for (StudyCell c : t6.cells()) {
            assertEquals("resnet18", c.config().arch);
            assertEquals(160, c.config().epochs);
            assertEquals(128, c.config().batchSize);
            double lr = Map.of("soft", 0.01, "center", 0.01, "arcface", 0.1, "arc", 0.1).get(c.column());
            assertEquals(lr, c.config().learningRate, 0);
        }
        Study t5 = Studies.create("table5", Scale.PAPER, 1);
        for (StudyCell c : t5.cells()) {
            assertEquals(60, c.config().epochs);
            assertEquals(256, c.config().batchSize);
            assertEquals(c.column().equals("center") ? 0.01 : 0.1, c.config().learningRate, 0);
        }
        assertTrue(Studies.create("table7", Scale.PAPER, 1).cells().stream().allMatch(c -> c.config().arch.equals("resnet34")));
    }

    @Test
    void fullScaleUsesAllTheDataWithOneRateForEveryLoss() {
        Study t5 = Studies.create("table5", Scale.FULL, 3);
        assertEquals(12, t5.cells().size());
        for (StudyCell c : t5.cells()) {
            TrainingConfig cfg = c.config();
            assertEquals("fashion-mnist/resnet20/10/256/0/0.003/one-cycle/0", budget(cfg));
            assertEquals(0, cfg.limitTest);
            assertEquals(200, cfg.angleInterval);
            assertEquals(5e-4, cfg.weightDecay, 0);
        }
        Study f5 = Studies.create("figure5", Scale.FULL, 2);
        assertEquals(List.of("k=1", "k=4", "k=16"), f5.cells().stream().map(StudyCell::row).distinct().toList());
        assertTrue(f5.cells().stream().allMatch(c -> c.config().angleInterval == 200 && c.config().limitTrain == 0
                && c.config().epochs == 10 && c.config().loss.equals("arc")));
        Study t6 = Studies.create("table6", Scale.FULL, 2);
        assertEquals(8, t6.cells().size());
        for (StudyCell c : t6.cells()) {
            assertEquals("cifar10+/resnet20/15/128/0/0.003/one-cycle/0", budget(c.config()));
        }
    }

    @Test
    void scalesKeepTheirResultsApart() {
        java.nio.file.Path results = java.nio.file.Path.of("results");
        assertEquals(results, Scale.FULL.resultsDir(results));
        assertEquals(results.resolve("cpu"), Scale.CPU.resultsDir(results));
        assertEquals(results.resolve("paper"), Scale.PAPER.resultsDir(results));
        assertEquals(Scale.FULL, Scale.parse("Full"));
    }

    @Test
    void everyReducedScaleGivesEveryLossTheSameBudget() {
        for (String name : Studies.NAMES) {
          for (Scale scale : List.of(Scale.CPU, Scale.FULL)) {
            Study s = Studies.create(name, scale, 2);
            Map<String, List<StudyCell>> byRow = s.cells().stream().collect(Collectors.groupingBy(StudyCell::row));
            for (List<StudyCell> row : byRow.values()) {
                Set<String> budgets = row.stream().map(c -> budget(c.config())).collect(Collectors.toSet());
                assertEquals(1, budgets.size(), name + " row " + row.get(0).row() + ": " + budgets);
            }
          }
        }
    }

    private static String budget(TrainingConfig c) {
        return c.dataset + "/" + c.arch + "/" + c.epochs + "/" + c.batchSize + "/" + c.limitTrain + "/" + c.learningRate
                + "/" + c.schedule + "/" + c.embeddingDim;
    }

    @Test
    void overridesShrinkEveryCellAndSayso() {
        Study s = Studies.create("table6", Scale.PAPER, 1).withOverrides(1, 64, 32);
        assertTrue(s.cells().stream().allMatch(c -> c.config().epochs == 1 && c.config().limitTrain == 64
                && c.config().limitTest == 32));
        assertTrue(s.notes().contains("epochs=1"));
        assertEquals(160, Studies.create("table6", Scale.PAPER, 1).cells().get(0).config().epochs, "original untouched");
    }

    @Test
    void rejectsUnknownNamesAndBadSeeds() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Studies.create("table9", Scale.CPU, 1))
                .getMessage().contains("table5"));
        assertThrows(IllegalArgumentException.class, () -> Studies.create("table5", Scale.CPU, 0));
        assertThrows(IllegalArgumentException.class, () -> Scale.parse("gpu"));
        assertThrows(IllegalArgumentException.class, () -> Studies.create("table5", Scale.CPU, 1).cell(4));
    }
}
