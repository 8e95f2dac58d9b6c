package org.nbdscope.app.gui.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import org.nbdscope.engine.extent.ExtentKind;

/**
 * The heat-map colours of a theme, read from {@code org/nbdscope/styles/<theme>.palette.properties} in the
 * styles module. Colours are opaque ARGB ints.
 */
public record Palette(int data, int zero, int hole, int unknown, int background, int selection, int viewport) {

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
            color(p, res, "background"), color(p, res, "selection"), color(p, res, "viewport"));
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
     * The colour of a cell from its four shares at {@code shares[off..off+3]} (data, zero, hole, unknown).
     * Each kind weighs by the square root of its share, so a small run of data in a large hole still
     * tints its cell visibly; a pure cell gets exactly its kind's colour.
     */
    public int mix(float[] shares, int off) {
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
}
