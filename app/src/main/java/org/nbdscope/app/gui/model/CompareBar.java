package org.nbdscope.app.gui.model;

/**
 * One group of the compare bar chart: a measure with a bar per side. Heights are on a per-measure log scale,
 * 0 to 100, where the larger side is 100 and a value of 0 is 0 (so 1 request against 257 stays visible, and
 * 0 round trips shows as no bar at all); the texts carry the real values.
 */
public record CompareBar(String measure, double probeHeight, String probeText, double makeZeroHeight, String makeZeroText) {

    /** Height of {@code value} against {@code max} (both non-negative) on the log scale described above. */
    public static double height(double value, double max) {
        if (!(value > 0) || !(max > 0)) return 0;
        return 100 * Math.log1p(value) / Math.log1p(Math.max(value, max));
    }
}
