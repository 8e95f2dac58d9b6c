package org.nbdscope.app.gui;

import java.io.IOException;
import java.nio.file.Path;

import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.PixelReader;

import org.nbdscope.app.gui.model.PngBytes;

/** Writes images as PNG (8-bit RGB, no filter) without AWT, so screenshots work without java.desktop. */
final class PngImages {
    private PngImages() {}

    /** The pixels of an image as ARGB; call on the FX thread. */
    static int[] argb(Image img) {
        int w = (int) img.getWidth(), h = (int) img.getHeight();
        int[] px = new int[w * h];
        PixelReader r = img.getPixelReader();
        r.getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), px, 0, w);
        return px;
    }

    /** PNG bytes of ARGB pixels (alpha dropped): the engine's encoder. */
    static byte[] encode(int[] argb, int w, int h) {
        return PngBytes.of(argb, w, h);
    }

    /** Writes a PNG file atomically (the engine's write, through the model); creates the parent folder. */
    static void write(Path file, int[] argb, int w, int h) throws IOException {
        PngBytes.write(file, argb, w, h);
    }
}
