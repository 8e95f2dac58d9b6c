package org.nbdscope.app.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nbdscope.engine.extent.ExtentKind;

/**
 * The heat-map colours stay apart for colour-blind viewers: each theme's four kind colours are simulated
 * for protanopia, deuteranopia and tritanopia (Machado, Oliveira and Fernandes 2009, severity 1.0, on
 * linear RGB) and every pair must keep a CIE76 colour difference of at least 25 in CIELAB.
 */
class PaletteTest {
    static final double MIN_DELTA_E = 25;

    static final double[][] NORMAL = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    static final double[][] PROTANOPIA = {
        {0.152286, 1.052583, -0.204868}, {0.114503, 0.786281, 0.099216}, {-0.003882, -0.048116, 1.051998}};
    static final double[][] DEUTERANOPIA = {
        {0.367322, 0.860646, -0.227968}, {0.280085, 0.672501, 0.047413}, {-0.011820, 0.042940, 0.968881}};
    static final double[][] TRITANOPIA = {
        {1.255528, -0.076749, -0.178779}, {-0.078411, 0.930809, 0.147602}, {0.004733, 0.691367, 0.303900}};

    @ParameterizedTest
    @EnumSource(Theme.class)
    void kindColoursStayApartForEveryVision(Theme theme) {
        Palette p = theme.palette();
        List<String> failures = new ArrayList<>();
        double[][][] visions = {NORMAL, PROTANOPIA, DEUTERANOPIA, TRITANOPIA};
        String[] names = {"normal", "protanopia", "deuteranopia", "tritanopia"};
        ExtentKind[] kinds = ExtentKind.values();
        for (int v = 0; v < visions.length; v++) {
            for (int a = 0; a < kinds.length; a++) {
                for (int b = a + 1; b < kinds.length; b++) {
                    double d = deltaE(lab(simulate(p.color(kinds[a]), visions[v])), lab(simulate(p.color(kinds[b]), visions[v])));
                    if (d < MIN_DELTA_E) failures.add(String.format("%s: %s vs %s dE=%.1f", names[v], kinds[a], kinds[b], d));
                }
            }
        }
        assertThat(failures).as(theme + " palette").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Theme.class)
    void selectionViewportAndChangesStandOutFromTheCellsAndTheBackground(Theme theme) {
        Palette p = theme.palette();
        int[] others = {p.data(), p.zero(), p.hole(), p.unknown(), p.background()};
        List<String> failures = new ArrayList<>();
        double[][][] visions = {NORMAL, PROTANOPIA, DEUTERANOPIA, TRITANOPIA};
        for (int v = 0; v < visions.length; v++) {
            for (int o : others) {
                for (int c : new int[] {p.selection(), p.viewport(), p.changed()}) {
                    double d = deltaE(lab(simulate(c, visions[v])), lab(simulate(o, visions[v])));
                    if (d < MIN_DELTA_E) failures.add(String.format("vision %d: %s vs %s dE=%.1f", v, Palette.web(c), Palette.web(o), d));
                }
            }
        }
        assertThat(failures).as(theme + " selection and viewport").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Theme.class)
    void pureCellsGetTheirKindsColourAndMixedCellsLieBetween(Theme theme) {
        Palette p = theme.palette();
        assertThat(p.mix(new float[] {1, 0, 0, 0}, 0)).isEqualTo(p.data());
        assertThat(p.mix(new float[] {0, 1, 0, 0}, 0)).isEqualTo(p.zero());
        assertThat(p.mix(new float[] {0, 0, 1, 0}, 0)).isEqualTo(p.hole());
        assertThat(p.mix(new float[] {0, 0, 0, 1}, 0)).isEqualTo(p.unknown());
        int m = p.mix(new float[] {0.01f, 0, 0.99f, 0}, 0);
        assertThat(m).isNotEqualTo(p.hole()).isNotEqualTo(p.data());
        for (int shift : new int[] {16, 8, 0}) {
            int lo = Math.min((p.data() >> shift) & 0xFF, (p.hole() >> shift) & 0xFF);
            int hi = Math.max((p.data() >> shift) & 0xFF, (p.hole() >> shift) & 0xFF);
            assertThat((m >> shift) & 0xFF).isBetween(lo, hi);
        }
    }

    static double[] simulate(int argb, double[][] m) {
        double[] lin = {lin((argb >> 16) & 0xFF), lin((argb >> 8) & 0xFF), lin(argb & 0xFF)};
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            out[i] = Math.max(0, Math.min(1, m[i][0] * lin[0] + m[i][1] * lin[1] + m[i][2] * lin[2]));
        }
        return out;
    }

    static double lin(int c) {
        double v = c / 255.0;
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    /** CIELAB (D65) of linear sRGB. */
    static double[] lab(double[] rgb) {
        double x = 0.4124564 * rgb[0] + 0.3575761 * rgb[1] + 0.1804375 * rgb[2];
        double y = 0.2126729 * rgb[0] + 0.7151522 * rgb[1] + 0.0721750 * rgb[2];
        double z = 0.0193339 * rgb[0] + 0.1191920 * rgb[1] + 0.9503041 * rgb[2];
        double fx = f(x / 0.95047), fy = f(y), fz = f(z / 1.08883);
        return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
    }

    static double f(double t) {
        return t > 216.0 / 24389 ? Math.cbrt(t) : (24389.0 / 27 * t + 16) / 116;
    }

    static double deltaE(double[] a, double[] b) {
        return Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2));
    }
}
