package org.nbdscope.engine.report;

import org.nbdscope.engine.extent.ExtentKind;

/**
 * The colours of an exported heat-map, as opaque ARGB ints: one per {@link ExtentKind}, the background
 * (gaps between cells), and the outline of cells that changed between two scans. The app passes its
 * theme's palette; {@link #light()} is the light theme's, for the command line.
 */
public record HeatMapColors(int data, int zero, int hole, int unknown, int background, int changed) {

    /** The light theme's palette (styles module, light.palette.properties), changes outlined in red. */
    public static HeatMapColors light() {
        return new HeatMapColors(0xFF0072B2, 0xFFE69F00, 0xFFE3E6EA, 0xFF8E9399, 0xFFFFFFFF, 0xFFD55E00);
    }

    public int color(ExtentKind k) {
        return switch (k) {
            case DATA -> data;
            case ZERO -> zero;
            case HOLE -> hole;
            case UNKNOWN -> unknown;
        };
    }

    /** The colour of a cell from its four shares at {@code shares[off..off+3]}: see {@link #mix(int, int, int, int, float[], int)}. */
    public int mix(float[] shares, int off) {
        return mix(data, zero, hole, unknown, shares, off);
    }

    /**
     * The colour of a cell from its four shares at {@code shares[off..off+3]} (data, zero, hole, unknown).
     * Each kind weighs by the square root of its share, so a small run of data in a large hole still tints its
     * cell visibly; a pure cell gets exactly its kind's colour. The app's heat-map and every export use this.
     */
    public static int mix(int data, int zero, int hole, int unknown, float[] shares, int off) {
        double wd = Math.sqrt(Math.max(0, shares[off]));
        double wz = Math.sqrt(Math.max(0, shares[off + 1]));
        double wh = Math.sqrt(Math.max(0, shares[off + 2]));
        double wu = Math.sqrt(Math.max(0, shares[off + 3]));
        double sum = wd + wz + wh + wu;
        if (sum <= 0) return unknown;
        if (wd == sum) return data;
        if (wz == sum) return zero;
        if (wh == sum) return hole;
        if (wu == sum) return unknown;
        double r = (wd * ch(data, 16) + wz * ch(zero, 16) + wh * ch(hole, 16) + wu * ch(unknown, 16)) / sum;
        double g = (wd * ch(data, 8) + wz * ch(zero, 8) + wh * ch(hole, 8) + wu * ch(unknown, 8)) / sum;
        double b = (wd * ch(data, 0) + wz * ch(zero, 0) + wh * ch(hole, 0) + wu * ch(unknown, 0)) / sum;
        return 0xFF000000 | (int) Math.round(r) << 16 | (int) Math.round(g) << 8 | (int) Math.round(b);
    }

    private static int ch(int argb, int shift) {
        return (argb >> shift) & 0xFF;
    }

    /** {@code #RRGGBB} of an ARGB colour, for CSS. */
    public static String web(int argb) {
        return String.format("#%06X", argb & 0xFFFFFF);
    }
}
