package org.nbdscope.app.gui.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.nbdscope.engine.report.Png;
import org.nbdscope.engine.session.SessionFiles;

/** PNG bytes of ARGB pixels through the engine's encoder, for the views (screenshots, smoke mode), which never use the engine themselves. */
public final class PngBytes {
    private PngBytes() {}

    /** 8-bit RGB PNG of {@code w} by {@code h} ARGB pixels (alpha dropped). */
    public static byte[] of(int[] argb, int w, int h) {
        return Png.encode(argb, w, h);
    }

    /**
     * Writes them as a PNG file through the engine's atomic write (temporary file, fsync, rename), as every
     * export is written; creates the parent folder.
     */
    public static void write(Path file, int[] argb, int w, int h) throws IOException {
        byte[] png = of(argb, w, h);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        SessionFiles.writeAtomically(file, png, false);
    }
}
