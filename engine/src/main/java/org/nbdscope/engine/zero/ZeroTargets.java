package org.nbdscope.engine.zero;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.client.NbdConnection;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.OpenOptions;
import org.nbdscope.engine.source.SourceException;
import org.nbdscope.engine.source.Sources;

/**
 * Opens a target given as text for the probe and make-zero: an NBD URI (through {@link Sources#open}), a raw file
 * or block device ({@link RawFileZeroTarget}), a qcow2 image (probe only, through {@link Sources#open} and the
 * image readers), or anything else {@link Sources#open} knows (such as {@code demo}).
 */
public final class ZeroTargets {
    private ZeroTargets() {}

    private static final byte[] QCOW2_MAGIC = {'Q', 'F', 'I', (byte) 0xfb};

    /**
     * Opens {@code target}. Without {@code forWriting} the connection or file is opened read-only, so even a
     * bug could not write through it; with it, writes are possible but only make-zero sends any.
     */
    public static ZeroTarget open(String target, OpenOptions options, boolean forWriting) {
        OpenOptions o = (options == null ? OpenOptions.defaults() : options);
        if (!NbdUri.looksLikeNbd(target)) {
            Path p = Path.of(target);
            if (Files.exists(p) && !Files.isDirectory(p)) {
                if (isQcow2(p)) {
                    try {
                        return ImageZeroTarget.qcow2(Sources.open(target, o.withReadOnly(true)));
                    } catch (SourceException e) {
                        throw new SourceException(target + " is a qcow2 image, which the probe reads through the image"
                            + " reader: " + e.getMessage(), e);
                    }
                }
                return RawFileZeroTarget.open(p, forWriting);
            }
        }
        return of(Sources.open(target, forWriting ? o : o.withReadOnly(true)));
    }

    /** Adapts an opened source: an NBD connection, or an image reader (probe only). */
    public static ZeroTarget of(BlockSource s) {
        if (s instanceof ZeroTarget z) return z;
        if (s instanceof NbdConnection c) return new NbdZeroTarget(c);
        String format = s.details().get("Format");
        if (format != null && format.toLowerCase(java.util.Locale.ROOT).contains("qcow2")) return ImageZeroTarget.qcow2(s);
        return new ImageZeroTarget(s, TargetKind.RAW_FILE, "make-zero needs a raw file opened directly or an NBD export; "
            + s.name() + " was opened through a read-only reader");
    }

    /** True when the file starts with the qcow2 magic {@code QFI\xfb}. */
    static boolean isQcow2(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] b = in.readNBytes(4);
            return java.util.Arrays.equals(b, QCOW2_MAGIC);
        } catch (IOException e) {
            throw new SourceException(p + ": " + e.getMessage(), e);
        }
    }
}
