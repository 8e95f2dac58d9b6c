package org.nbdscope.app.gui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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

    /** Writes a PNG file atomically (temporary file, then rename); creates the parent directory. */
    static void write(Path file, int[] argb, int w, int h) throws IOException {
        byte[] png = encode(argb, w, h);
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, png);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
