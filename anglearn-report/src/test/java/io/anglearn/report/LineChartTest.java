package io.anglearn.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineChartTest {

    private static LineChart.Builder twoSeries() {
        return LineChart.builder().setTitle("t").setXAxisLabel("epoch").setYAxisLabel("error (%)")
                .addSeries("a", new double[] {1, 2}, new double[] {10, 5})
                .addSeries("b", new double[] {1, 2, 3}, new double[] {9, 6, 4});
    }

    @Test
    void writesPngSvgAndTheCsvOfItsPoints(@TempDir Path dir) throws Exception {
        twoSeries().optSubtitle("sub").build().write(dir, "err");
        byte[] png = Files.readAllBytes(dir.resolve("err.png"));
        assertEquals('P', png[1]);
        String svg = Files.readString(dir.resolve("err.svg"));
        assertTrue(svg.contains("<svg") && svg.strip().endsWith("</svg>"), "a whole SVG document");
        assertEquals(List.of("series,x,y", "a,1.00000000,10.0000000", "a,2.00000000,5.00000000",
                "b,1.00000000,9.00000000", "b,2.00000000,6.00000000", "b,3.00000000,4.00000000"),
                Files.readAllLines(dir.resolve("err.csv")));
    }

    @Test
    void anIntegerXAxisHasNoFractionalTicks(@TempDir Path dir) throws Exception {
        twoSeries().build().write(dir, "plain");
        twoSeries().optIntegerX().build().write(dir, "epochs");
        // Three epochs fit half-epoch ticks unless the axis is told that x counts something.
        assertTrue(Files.readString(dir.resolve("plain.svg")).contains(">1.5<"), "the control has a tick at 1.5");
        String svg = Files.readString(dir.resolve("epochs.svg"));
        assertTrue(svg.contains(">2<") && !svg.contains(">1.5<") && !svg.contains(">2.0<"), "whole-number ticks only");
    }

    @Test
    void rejectsMalformedCharts() {
        assertThrows(IllegalArgumentException.class, () -> LineChart.builder().setTitle("t").setXAxisLabel("x")
                .setYAxisLabel("y").build());
        assertThrows(IllegalArgumentException.class, () -> twoSeries()
                .addSeries("a", new double[] {1}, new double[] {1}).build());
        assertThrows(IllegalArgumentException.class, () -> twoSeries()
                .addSeries("c", new double[] {1, 2}, new double[] {1}).build());
        assertThrows(IllegalArgumentException.class, () -> twoSeries()
                .addSeries("c", new double[] {1}, new double[] {Double.NaN}).build());
        assertThrows(IllegalArgumentException.class, () -> twoSeries().optYRange(1, 0).build());
    }
}
