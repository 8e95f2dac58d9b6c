package org.nbdscope.engine.image.raw;

import java.io.IOException;
import java.nio.file.Path;

import org.nbdscope.engine.image.ImageFile;
import org.nbdscope.engine.image.Layer;
import org.nbdscope.engine.image.LayerStatus;
import org.nbdscope.engine.source.SourceDetails;

/**
 * A raw file or block device: data and holes from {@code SEEK_DATA}/{@code SEEK_HOLE}, like qemu's
 * file-posix driver. Holes read as zero; so does the tail qemu adds by rounding the length up to 512
 * bytes. File systems without hole support, and block devices, report everything as data.
 */
public final class RawLayer implements Layer {
    private final ImageFile file;

    public RawLayer(ImageFile file) {
        this.file = file;
    }

    @Override
    public String format() { return "raw"; }

    @Override
    public Path path() { return file.path(); }

    @Override
    public ImageFile file() { return file; }

    @Override
    public long length() { return roundUp512(file.size()); }

    @Override
    public long virtualSize() { return file.size(); }

    @Override
    public BackingRef backingRef() { return null; }

    @Override
    public Layer backing() { return null; }

    static long roundUp512(long n) {
        return n > Long.MAX_VALUE - 511 ? Long.MAX_VALUE & ~511L : (n + 511) & ~511L;
    }

    @Override
    public LayerStatus status(long offset, long bytes) {
        HostRun r = hostStatus(file, offset, bytes);
        int flags = (r.zero() ? ZERO : DATA) | OFFSET_VALID | ALLOCATED;
        return new LayerStatus(r.length(), flags, offset, file);
    }

    /** A run of a host file: {@code length} bytes that are a hole (or past the end) or data. */
    public record HostRun(long length, boolean zero) {}

    /**
     * What qemu's file-posix {@code block_status} says about {@code [offset, offset + bytes)} of
     * {@code file}: holes and the bytes past the end (up to the next 512-byte boundary and beyond) read as
     * zero; a file system that cannot tell is all data.
     */
    public static HostRun hostStatus(ImageFile file, long offset, long bytes) {
        if (offset >= file.size()) return new HostRun(bytes, true);
        try {
            long data = file.seekData(offset);
            if (data < 0) return new HostRun(bytes, true);           // trailing hole
            if (data > offset) return new HostRun(Math.min(bytes, data - offset), true);
            long hole = file.seekHole(offset);
            if (hole > offset) return new HostRun(Math.min(bytes, hole - offset), false);
            return new HostRun(bytes, false);                      // changed under us: treat as data
        } catch (IOException e) {
            return new HostRun(bytes, false);                      // no hole support: all data
        }
    }

    @Override
    public void describe(SourceDetails d) {
        d.add("Image", "Format", "raw");
        d.add("Image", "File", file.path());
        d.add("Image", file.blockDevice() ? "Device size" : "File size", file.size() + " bytes");
        if (file.size() % 512 != 0) d.add("Image", "Length as qemu sees it", length() + " bytes (rounded up to 512)");
        if (!file.blockDevice()) d.add("Image", "Allocated on disk", allocated());
    }

    private String allocated() {
        long a = file.allocatedBytes();
        return a < 0 ? "unknown" : a + " bytes";
    }

    @Override
    public void close() { file.close(); }

    @Override
    public String toString() { return "raw " + file.path(); }
}
