package org.nbdscope.app.gui.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.report.HeatMapColors;

/**
 * The heat-map colours of a theme, read from {@code org/nbdscope/styles/<theme>.palette.properties} in the
 * styles module. Colours are opaque ARGB ints.
 */
public record Palette(int data, int zero, int hole, int unknown, int background, int selection, int viewport, int changed) {

    /** Loads a palette resource of the styles module, e.g. {@code light}. */
    public static Palette load(String theme) {
        String res = "/org/nbdscope/styles/" + theme + ".palette.properties";
        Properties p = new Properties();
        try (InputStream in = Palette.class.getResourceAsStream(res)) {
            if (in == null) throw new IllegalStateException("palette " + res + " is missing from the styles module");
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read palette " + res, e);
        }
        return new Palette(color(p, res, "data"), color(p, res, "zero"), color(p, res, "hole"), color(p, res, "unknown"),
            color(p, res, "background"), color(p, res, "selection"), color(p, res, "viewport"),
            p.getProperty("changed") == null ? color(p, res, "selection") : color(p, res, "changed"));
    }

    private static int color(Properties p, String res, String key) {
        String v = p.getProperty(key);
        if (v == null || !v.strip().matches("#[0-9A-Fa-f]{6}")) {
            throw new IllegalStateException("palette " + res + ": " + key + " must be #RRGGBB, not " + v);
        }
        return 0xFF000000 | Integer.parseInt(v.strip().substring(1), 16);
    }

    public int color(ExtentKind k) {
        return switch (k) {
            case DATA -> data;
            case ZERO -> zero;
            case HOLE -> hole;
            case UNKNOWN -> unknown;
        };
    }

    /** {@code #RRGGBB} of an ARGB colour, for CSS. */
    public static String web(int argb) {
        return String.format("#%06X", argb & 0xFFFFFF);
    }

    /**
     * The colour of a cell from its four shares at {@code shares[off..off+3]} (data, zero, hole, unknown),
     * mixed as every export mixes it ({@link HeatMapColors#mix(int, int, int, int, float[], int)}).
     */
    public int mix(float[] shares, int off) {
        return HeatMapColors.mix(data, zero, hole, unknown, shares, off);
    }

    /** The colours exports draw with ({@link org.nbdscope.engine.report.HeatMapRaster}); changed cells outlined in {@code changed}. */
    public HeatMapColors heatMapColors(int changed) {
        return new HeatMapColors(data, zero, hole, unknown, background, changed);
    }
}
