package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every option that takes a name answers a typo with the closest valid name, and every numeric or
 * path option out of range fails in one line naming the option, with exit code 2, before any work.
 */
class OptionValidationTest {

    /** Runs a command line that must fail with a usage error of one line containing every fragment. */
    private static void fails(List<String> args, String... fragments) {
        CliRun r = CliRun.of(args.toArray(new String[0]));
        String line = "anglearn " + String.join(" ", args);
        assertEquals(2, r.code(), line + "\n" + r.err());
        assertEquals("", r.out(), line + ": nothing on standard output before the error");
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), line + ": one line:\n" + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), line + ": no stack trace:\n" + r.err());
        for (String f : fragments) {
            assertTrue(lines.get(0).contains(f), line + ": '" + f + "' in:\n" + r.err());
        }
    }

    private static void fails(String commandLine, String... fragments) {
        fails(List.of(commandLine.split(" ")), fragments);
    }

    @Test
    void aTypoInANamedOptionSuggestsTheClosestName() {
        fails("train --loss arcfce", "anglearn train: unknown --loss 'arcfce': did you mean 'arcface'?",
                "Expected one of: soft, center, arcface, arc,");
        fails("train --loss arc -p kk=2", "loss 'arc' has no parameter 'kk'; did you mean 'k'?");
        fails("train --arch resnt20", "unknown --arch 'resnt20': did you mean 'resnet20'?");
        fails("train --dataset cifr10+", "unknown --dataset 'cifr10+': did you mean 'cifar10+'?", "folder:PATH");
        fails("train --label corse", "unknown --label 'corse': did you mean 'coarse'?");
        fails("train --optimizer sdg", "unknown --optimizer 'sdg': did you mean 'sgd'?");
        fails("train --schedule onecycle", "unknown --schedule 'onecycle': did you mean 'one-cycle'?");
        fails("train --preset papr", "unknown --preset 'papr': did you mean 'paper'?");
        fails("train --device tpu", "unknown --device 'tpu': did you mean 'cpu' or 'gpu'?");
        fails("train --device gpu1", "did you mean 'gpu:1'?");
        fails("train --on-non-finite skp", "unknown --on-non-finite 'skp': did you mean 'skip'?");
        fails("lr-find --loss cosfase", "anglearn lr-find: unknown --loss 'cosfase': did you mean 'cosface'?");
        fails("model --arch resnet200", "anglearn model: unknown --arch 'resnet200': did you mean 'resnet20'?");
        fails("bench --loss sft", "anglearn bench: unknown --loss 'sft': did you mean 'soft'?");
        fails("bench --arch resnet-18", "did you mean 'resnet18'?");
        fails("bench --memory-layout nhcw", "unknown --memory-layout 'nhcw': did you mean 'nchw'?");
        fails("reproduce --study tabel5", "anglearn reproduce: unknown --study 'tabel5': did you mean 'table5'?");
        fails("reproduce --study table5 --scale cpuu", "unknown --scale 'cpuu': did you mean 'cpu'?");
        fails("reproduce --study table5 --emit slrum", "unknown --emit 'slrum': did you mean 'slurm'?");
        fails("reproduce --study table5 --losses soft,acr", "--losses", "'acr'", "did you mean 'arc'?");
        fails("reproduce --study table5 --device gpu-0", "did you mean 'gpu:0'?");
        fails("evaluate --run r --split tset", "anglearn evaluate: unknown --split 'tset': did you mean 'test'?");
        fails("embed --run r --out e.npy --split trian", "unknown --split 'trian': did you mean 'train'?");
        fails("evaluate --run r --checkpoint lats", "unknown --checkpoint 'lats': did you mean 'last'?");
        fails("predict --run r --checkpoint step5 a.png", "did you mean 'step-5'?");
        fails("data info cifar-1O", "anglearn data info: unknown --dataset 'cifar-1O': did you mean 'cifar10'?");
        fails("data verify cifar100 --label coarce", "unknown --label 'coarce': did you mean 'coarse'?");
    }

    @Test
    void aBackboneOfTheUsersIsCheckedBeforeAnyWork(@TempDir Path dir) throws IOException {
        fails("train --backbone resnet50.pt", "--backbone must be torchscript:PATH (a TorchScript module file), got"
                + " 'resnet50.pt'");
        fails("train --freeze-backbone-epochs 11", "--freeze-backbone-epochs must be in 0..10 (the epochs), got 11");
        Path missing = dir.resolve("missing.pt");
        fails(List.of("train", "--backbone", "torchscript:" + missing, "--runs-dir", dir.toString()),
                "--backbone torchscript:" + missing + ": does not exist");
        Path weights = Files.writeString(dir.resolve("weights.pt"), "not a module");
        fails(List.of("train", "--backbone", "torchscript:" + weights, "--runs-dir", dir.toString()),
                "is not a TorchScript module: not a zip archive");
    }

    @Test
    void unknownOptionsAndCommandsGetPicocliSuggestions() {
        CliRun r = CliRun.of("train", "--lossx", "arc");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'--lossx'") && r.err().contains("Possible solutions: --loss"), r.err());
        r = CliRun.of("trian");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("'trian'") && r.err().contains("Did you mean: anglearn train?"), r.err());
        r = CliRun.of("data", "fecth", "cifar10");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Did you mean: data fetch?"), r.err());
        assertEquals(2, r.err().lines().count(), "the error and the suggestion, no usage text:\n" + r.err());
    }

    @Test
    void numbersOutOfRangeNameTheOption() {
        fails("train --batch-size 0", "--batch-size must be > 0, got 0");
        fails("train --batch-size 1000000", "--batch-size must be at most 65536, got 1000000");
        fails("train --epochs -1", "--epochs must be > 0, got -1");
        fails("train --lr NaN", "--lr must be a positive number, got NaN");
        fails("train --lr -1", "--lr must be a positive number");
        fails("train --weight-decay -0.1", "--weight-decay must be >= 0");
        fails("train --momentum 1", "--momentum must be in [0, 1)");
        fails("train --warmup 1.5", "--warmup must be in (0, 1)");
        fails("train --step-gamma 0", "--step-gamma must be in (0, 1]");
        fails("train --embedding-dim 99999999", "--embedding-dim must be in 0..65536");
        fails("train --image-size 2", "--image-size must be in 4..1024, got 2");
        fails("train --channels 2", "--channels must be 1 or 3, got 2");
        fails("train --test-fraction NaN", "--test-fraction must be in (0, 1), more than 0 so that a run has test"
                + " images to evaluate on, got NaN");
        fails("train --test-fraction 0", "--test-fraction must be in (0, 1), more than 0 so that a run has test"
                + " images to evaluate on, got 0.0");
        fails("train --data-workers 0", "--data-workers must be in 1..64");
        fails("train --limit-train -5", "--limit-train must be >= 0");
        fails("train --eval-every 0", "--eval-every must be > 0");
        fails("train --keep-checkpoints 0", "--keep-checkpoints must be > 0");
        fails("train --angle-interval -1", "--angle-interval must be >= 0");
        fails("train --target-angle-samples 0", "--target-angle-samples must be > 0");
        fails("train --loss arc -p k=NaN", "parameter 'k' needs a number");
        fails("lr-find --min-lr 0", "--min-lr");
        fails("lr-find --iterations 1", "--iterations >= 2");
        fails("model --classes 1", "--classes must be in 2..1000000, got 1");
        fails("model --embedding-dim -1", "--embedding-dim must be in 0..65536");
        fails("model --depth -1", "--depth must be >= 0");
        fails("model --input 3x0x32", "--input must be CxHxW with positive integers");
        fails("bench --batch-size 0", "--batch-size must be >= 1, got 0");
        fails("bench --iterations 0", "--iterations must be >= 1, got 0");
        fails("bench --warmup -1", "--warmup must be >= 0, got -1");
        fails("bench --input 3x-1x2", "--input must be CxHxW with positive integers");
        fails("bench --batch-size 65536 --input 3x224x224", "--batch-size 65536 of --input 3x224x224");
        fails("curves --out x --points 1", "--points must be in [2, 100000], got 1");
        fails("reproduce --study table5 --seeds 0", "--seeds must be in 1..100, got 0");
        fails("reproduce --study table5 --cell 99", "--cell 99");
        fails("reproduce --study table5 --epochs -1", "--epochs must be >= 0");
        fails("reproduce --study table5 --limit-test -1", "--limit-test must be >= 0");
        fails("train --epochs x", "anglearn train: Invalid value for option '--epochs': 'x' is not an int",
                "(see 'anglearn train --help')");
        fails("model --classes 1e3", "Invalid value for option '--classes'");
    }

    @Test
    void fileSystemErrorsSayWhy() {
        assertEquals("runs/x: permission denied", io.anglearn.util.IoErrors.describe(new java.nio.file.AccessDeniedException("runs/x")));
        assertEquals("a -> b: already exists", io.anglearn.util.IoErrors.describe(new java.nio.file.FileAlreadyExistsException("a", "b", null)));
        assertEquals("d: No space left on device",
                io.anglearn.util.IoErrors.describe(new java.nio.file.FileSystemException("d", null, "No space left on device")));
    }

    @Test
    void pathsThatCannotWorkNameTheOption(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("file.txt"), "x");
        Path missing = dir.resolve("missing");
        fails(List.of("train", "--config", missing.toString()), "--config " + missing + " does not exist");
        fails(List.of("train", "--config", dir.toString()), "--config " + dir + " is a folder; expected a file");
        fails(List.of("train", "--resume", missing.toString()), "--resume " + missing + " does not exist");
        fails(List.of("train", "--data-dir", missing.toString()), "--data-dir " + missing + " does not exist");
        fails(List.of("train", "--data-dir", file.toString()), "--data-dir " + file + " is not a folder");
        fails(List.of("train", "--runs-dir", file.toString()), "--runs-dir " + file + ": it is a file, not a folder");
        fails(List.of("train", "--runs-dir", file.resolve("sub").toString()), "--runs-dir", file + " is a file");
        fails(List.of("lr-find", "--out", dir.toString()), "--out " + dir + " is a folder; expected a file name");
        fails(List.of("data", "verify", "cifar10", "--data-dir", missing.toString()), "--data-dir " + missing);
        fails(List.of("data", "fetch", "cifar10", "--data-dir", file.toString()), "--data-dir " + file);
        fails(List.of("curves", "--out", file.toString()), "--out " + file + ": it is a file, not a folder");
        fails(List.of("report", "--run", dir.toString(), "--out", dir.toString()), "--out " + dir + " is a folder");
        fails(List.of("reproduce", "--study", "table5", "--results-dir", file.toString()), "--results-dir " + file);
        fails(List.of("reproduce", "--study", "table5", "--data-dir", missing.toString()), "--data-dir " + missing);
        fails(List.of("embed", "--run", dir.toString(), "--out", dir.toString()), "--out " + dir + " is a folder");
    }
}
