package io.anglearn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pair losses, miners, the m-per-class sampler and the class split from the command line: a run
 * trained on three classes of an {@code idx:} dataset with the triplet loss and tested on two
 * others, then {@code evaluate}, {@code embed}, {@code predict} and {@code report} on it.
 */
class PairLossCommandTest {

    @TempDir
    static Path dir;
    static Path data;
    static Path runDir;
    static CliRun trained;

    /** n images of side×side pixels, class i % classes bright in its own 3×3 square, as an IDX file. */
    private static byte[] images(int n, int side, int classes, long seed) {
        Random r = new Random(seed);
        ByteBuffer b = ByteBuffer.allocate(16 + n * side * side);
        b.putInt(0x0803).putInt(n).putInt(side).putInt(side);
        for (int i = 0; i < n; i++) {
            int y = i % classes;
            for (int p = 0; p < side * side; p++) {
                int row = p / side;
                int col = p % side;
                boolean on = row >= (y * 3) % (side - 3) && row < (y * 3) % (side - 3) + 3
                        && col >= (y * 5) % (side - 3) && col < (y * 5) % (side - 3) + 3;
                b.put((byte) ((on ? 200 : 30) + r.nextInt(40)));
            }
        }
        return b.array();
    }

    private static byte[] labels(int n, int classes) {
        ByteBuffer b = ByteBuffer.allocate(8 + n);
        b.putInt(0x0801).putInt(n);
        for (int i = 0; i < n; i++) {
            b.put((byte) (i % classes));
        }
        return b.array();
    }

    @BeforeAll
    static void trainOnThreeClassesTestOnTwoOthers() throws Exception {
        data = Files.createDirectories(dir.resolve("five"));
        Files.write(data.resolve("train-images-idx3-ubyte"), images(60, 8, 5, 1));
        Files.write(data.resolve("train-labels-idx1-ubyte"), labels(60, 5));
        Files.write(data.resolve("t10k-images-idx3-ubyte"), images(20, 8, 5, 2));
        Files.write(data.resolve("t10k-labels-idx1-ubyte"), labels(20, 5));
        trained = CliRun.of("train", "--dataset", "idx:" + data, "--loss", "triplet", "-p", "margin=0.3",
                "--miner", "semi-hard", "--miner-param", "margin=0.3", "--sampler", "m-per-class:4",
                "--batch-size", "12", "--epochs", "2", "--eval-every", "2", "--train-classes", "0-2", "--test-classes", "3,4",
                "--runs-dir", dir.resolve("runs").toString(), "--name", "triplet", "--no-progress");
        runDir = dir.resolve("runs").resolve("triplet");
    }

    @Test
    void trainPrintsTheRetrievalColumns() throws Exception {
        assertEquals(0, trained.code(), trained.err());
        List<String> all = trained.out().lines().toList();
        int header = 0;
        while (header < all.size() && !all.get(header).trim().startsWith("epoch")) {
            header++;
        }
        // The start summary comes first: the classes trained on, and the unseen ones evaluated by retrieval.
        String summary = String.join("\n", all.subList(0, header));
        assertTrue(summary.contains("classes   3 to train on: 0, 1, 2\n"
                + "          test split: 2 classes, none of them trained on: 3, 4\n"
                + "          evaluated by retrieval (the pair loss 'triplet' trains no class weights)"), summary);
        assertTrue(summary.contains("images    36 for training, 8 for testing; 1x8x8 (grey)"), summary);
        // Without a terminal, progress lines ("epoch 1, batch 1 of 3, ...") come between the table's rows.
        List<String> lines = all.subList(header, all.size()).stream().filter(l -> !l.matches("epoch \\d+, batch .*"))
                .toList();
        assertTrue(lines.get(0).matches("\\s*epoch\\s+loss\\s+P@1\\s+R-prec\\s+MAP@R\\s+NMI\\s+C-Inter\\s+lr\\s+sec\\s+img/s"),
                lines.get(0));
        // 36 training images of 3 classes: 3 batches of 4 images of 3 classes per epoch. Epoch 1 is not evaluated.
        assertTrue(lines.get(1).matches("\\s+1\\s+\\d+\\.\\d{4}(\\s+NaN){5}\\s+.*"), lines.get(1));
        assertTrue(lines.get(2).matches("\\s+2\\s+\\d+\\.\\d{4}(\\s+[01]\\.\\d{4}){4}\\s+\\d\\.\\d{4}\\s+.*"),
                lines.get(2));
        String config = Files.readString(runDir.resolve("config.json"));
        for (String s : List.of("\"trainClasses\": \"0-2\"", "\"testClasses\": \"3,4\"", "\"miner\": \"semi-hard\"",
                "\"sampler\": \"m-per-class:4\"", "\"testClassNames\": [\n      \"3\",\n      \"4\"\n    ]")) {
            assertTrue(config.contains(s), s + " in\n" + config);
        }
    }

    @Test
    void evaluateEmbedAndReportWorkAndPredictRefuses() throws Exception {
        CliRun e = CliRun.of("evaluate", "--run", runDir.toString());
        assertEquals(0, e.code(), e.err());
        assertTrue(e.out().contains("[classes 3-4] (8 images)"), e.out());
        assertTrue(e.out().contains("evaluated by retrieval: the network was trained with the pair loss 'triplet'"),
                e.out());
        assertTrue(e.out().contains("precision@1 ") && e.out().contains("MAP@R ") && e.out().contains("(8 queries"),
                e.out());
        assertTrue(e.out().contains("not applicable"), e.out());

        CliRun onTrain = CliRun.of("evaluate", "--run", runDir.toString(), "--split", "train");
        assertEquals(0, onTrain.code(), onTrain.err());
        assertTrue(onTrain.out().contains("(36 images)") && onTrain.out().contains("(36 queries"), onTrain.out());

        Path out = dir.resolve("emb").resolve("test.npy");
        Files.createDirectories(out.getParent());
        CliRun embed = CliRun.of("embed", "--run", runDir.toString(), "--out", out.toString());
        assertEquals(0, embed.code(), embed.err());
        List<String> meta = Files.readAllLines(dir.resolve("emb").resolve("test-metadata.tsv"));
        assertEquals("label\tclass\tsource", meta.get(0));
        assertTrue(meta.get(1).startsWith("0\t3\t") || meta.get(1).startsWith("1\t4\t"),
                "the test classes' own names: " + meta.get(1));
        assertTrue(meta.get(1).endsWith("#0"), "an image without a file is named by its index: " + meta.get(1));

        Path png = dir.resolve("x.png");
        ImageIO.write(new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY), "png", png.toFile());
        CliRun predict = CliRun.of("predict", "--run", runDir.toString(), png.toString());
        assertEquals(1, predict.code());
        assertTrue(predict.err().contains("was trained with the pair loss 'triplet'")
                && predict.err().contains("anglearn embed"), predict.err());

        CliRun report = CliRun.of("report", "--run", runDir.toString(), "--out", dir.resolve("r.html").toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(Files.readString(dir.resolve("r.html")).contains("MAP@R"));
    }

    @Test
    void listLossesShowsThePairLossesAndTheMiners() {
        CliRun r = CliRun.of("train", "--list-losses");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("contrastive: pos_margin=0, neg_margin=1, cosine=0, normalize=1"), r.out());
        assertTrue(r.out().contains("triplet: margin=0.2, squared=1, normalize=1"), r.out());
        assertTrue(r.out().contains("multi-similarity: alpha=2, beta=50, lambda=0.5"), r.out());
        assertTrue(r.out().contains("  semi-hard: margin=0.2") && r.out().contains("  batch-hard: no parameters")
                && r.out().contains("  multi-similarity: epsilon=0.1"), r.out());
    }

    @Test
    void badCombinationsNameTheOption() {
        fails("--miner batch-hard needs a pair loss (contrastive, triplet, multi-similarity); 'arc'", "train", "--miner",
                "batch-hard");
        fails("unknown --miner 'batch-hrad': did you mean 'batch-hard'?", "train", "--loss", "triplet", "--miner", "batch-hrad");
        fails("--miner-param needs a --miner", "train", "--loss", "triplet", "--miner-param", "margin=1");
        fails("--sampler m-per-class:3 needs a --batch-size that is a multiple of 3, got 256", "train", "--sampler",
                "m-per-class:3");
        fails("unknown --sampler 'balanced'", "train", "--sampler", "balanced");
        fails("--test-classes needs --train-classes", "train", "--test-classes", "1-2");
        fails("--train-classes takes class indices and ranges", "train", "--train-classes", "a-b");
        fails("--resume continues a run with its own configuration", "train", "--resume", dir.toString(), "--sampler",
                "shuffle");
    }

    private static void fails(String fragment, String... args) {
        CliRun r = CliRun.of(args);
        assertEquals(2, r.code(), String.join(" ", args) + "\n" + r.err());
        assertTrue(r.err().contains(fragment), r.err());
    }
}
