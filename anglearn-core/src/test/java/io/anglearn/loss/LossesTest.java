package io.anglearn.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.anglearn.train.TrainingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The loss registry as users meet it: one described line per loss, names in any case stored in lower case. */
class LossesTest {

    @Test
    void everyLossIsDescribedWithItsPaper() {
        List<String> lines = Losses.describe();
        assertEquals(Losses.NAMES.size(), lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            assertTrue(line.startsWith(Losses.NAMES.get(i) + ": "), line);
            assertTrue(line.matches(".* -- .+\\(.*(19|20)\\d\\d.*\\)"), "a description citing a paper: " + line);
        }
        assertEquals("arc: k=4, epsilon=1e-6 -- the angular loss, logits k·(π/2 − θ_j): this project's method and the"
                + " default, not ArcFace (Wu & Wang, arXiv:1912.07819)", lines.get(Losses.NAMES.indexOf("arc")));
        assertTrue(lines.get(Losses.NAMES.indexOf("arcface")).startsWith("arcface: s=64, m=0.5, easy_margin=0,"
                + " epsilon=1e-6 -- ArcFace, an additive angular margin"), lines.get(Losses.NAMES.indexOf("arcface")));
        assertEquals("soft: no parameters -- softmax cross-entropy on w_j·x without bias, the modified softmax"
                + " (Liu et al., CVPR 2017)", lines.get(0));
        assertEquals(Losses.description("ARC"), Losses.description("arc"));
    }

    @Test
    void parameterValuesAreWrittenAsPeopleWriteThem() {
        assertEquals("4", Losses.format(4));
        assertEquals("0.35", Losses.format(0.35));
        assertEquals("1e-6", Losses.format(1e-6));
        assertEquals("2.5e-4", Losses.format(2.5e-4));
        assertEquals("-3", Losses.format(-3));
    }

    @Test
    void namesAreStoredInLowerCase() {
        TrainingConfig c = new TrainingConfig();
        c.loss = "ArcFace";
        c.arch = "ResNet20";
        c.optimizer = "SGD";
        c.schedule = "One-Cycle";
        c.dataset = "Fashion-MNIST";
        c.validate();
        c.canonicalize();
        assertEquals("arcface", c.loss);
        assertEquals("resnet20", c.arch);
        assertEquals("sgd", c.optimizer);
        assertEquals("one-cycle", c.schedule);
        assertEquals("fashion-mnist", c.dataset);
        c.dataset = "FOLDER:My Photos";
        c.canonicalize();
        assertEquals("folder:My Photos", c.dataset, "a folder's path keeps its case");
        c.loss = "arcfce";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, c::validate);
        assertTrue(e.getMessage().contains("did you mean 'arcface'?"), e.getMessage());
    }
}
