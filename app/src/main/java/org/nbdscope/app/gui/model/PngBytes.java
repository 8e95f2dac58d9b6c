package org.nbdscope.app.gui.model;

import org.nbdscope.engine.report.Png;

/** PNG bytes of ARGB pixels through the engine's encoder, for the views (screenshots, smoke mode), which never use the engine themselves. */
public final class PngBytes {
    private PngBytes() {}

    /** 8-bit RGB PNG of {@code w} by {@code h} ARGB pixels (alpha dropped). */
    public static byte[] of(int[] argb, int w, int h) {
        return Png.encode(argb, w, h);
    }
}
