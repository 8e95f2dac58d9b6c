package org.nbdscope.engine.image;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;

import org.nbdscope.engine.posix.Posix;
import org.nbdscope.engine.source.WireCounters;

/**
 * One image file opened read-only ({@code O_RDONLY}): bounded reads, {@code SEEK_DATA}/{@code SEEK_HOLE}
 * and the allocated size. Nothing here can write. Thread-safe: every read is positional.
 */
public final class ImageFile implements AutoCloseable {
    private final Path path;
    private final int fd;
    private final long size;
    private final boolean blockDevice;
    private final WireCounters counters;
    private volatile boolean closed;

    private ImageFile(Path path, int fd, long size, boolean blockDevice, WireCounters counters) {
        this.path = path;
        this.fd = fd;
        this.size = size;
        this.blockDevice = blockDevice;
        this.counters = counters;
    }

    /** Opens {@code path} read-only; I/O is counted in {@code counters} (bytes received). */
    public static ImageFile open(Path path, WireCounters counters) {
        if (Files.isDirectory(path)) throw new ImageException(path + " is a directory, not an image file");
        int fd;
        try {
            fd = Posix.open(path.toString(), Posix.O_RDONLY);
        } catch (IOException e) {
            throw new ImageException("cannot open " + path + ": " + e.getMessage(), e);
        }
        try {
            long dev = Posix.blockDeviceSize(fd);
            long size = dev >= 0 ? dev : Posix.size(fd);
            return new ImageFile(path, fd, size, dev >= 0, counters);
        } catch (IOException e) {
            closeQuietly(fd);
            throw new ImageException("cannot read the size of " + path + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(fd);
            throw e;
        }
    }

    private static void closeQuietly(int fd) {
        try {
            Posix.close(fd);
        } catch (IOException ignored) {
            // nothing was written; a failed close of a read-only descriptor loses nothing
        }
    }

    public Path path() { return path; }

    /** Size in bytes when opened. */
    public long size() { return size; }

    public boolean blockDevice() { return blockDevice; }

    /**
     * Reads exactly {@code length} bytes at {@code offset} into a new segment. Fails with an
     * {@link ImageException} naming {@code what} when the range is not inside the file.
     */
    public MemorySegment read(long offset, long length, String what) {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) {
            throw new ImageException(path.getFileName() + ": " + what + " at offset " + offset + " (" + length
                + " bytes) lies outside the file, which has " + size + " bytes");
        }
        MemorySegment buf = Arena.ofAuto().allocate(Math.max(1, length), 8).asSlice(0, length);
        readFully(buf, offset, what);
        return buf;
    }

    /** Fills {@code buf} from {@code offset}; the range must be inside the file. */
    public void readFully(MemorySegment buf, long offset, String what) {
        checkOpen();
        try {
            Posix.preadFully(fd, buf, offset);
            counters.received(buf.byteSize());
        } catch (IOException e) {
            throw new ImageException(path.getFileName() + ": reading " + what + " at offset " + offset + " failed: "
                + e.getMessage(), e);
        }
    }

    /**
     * Reads what the file holds of {@code [offset, offset + buf.byteSize())}, returning the byte count
     * (short only at the end of the file).
     */
    public long readUpTo(MemorySegment buf, long offset, String what) {
        if (offset >= size) return 0;
        long n = Math.min(buf.byteSize(), size - offset);
        readFully(buf.asSlice(0, n), offset, what);
        return n;
    }

    /** {@code lseek(SEEK_DATA)}: the next data at or after {@code offset}, or -1 when none (ENXIO). */
    public long seekData(long offset) throws IOException {
        checkOpen();
        return Posix.lseek(fd, offset, Posix.SEEK_DATA);
    }

    /** {@code lseek(SEEK_HOLE)}: the next hole at or after {@code offset}, or -1 (ENXIO). */
    public long seekHole(long offset) throws IOException {
        checkOpen();
        return Posix.lseek(fd, offset, Posix.SEEK_HOLE);
    }

    /** Space the file occupies on disk ({@code st_blocks * 512}), or -1 when unknown. */
    public long allocatedBytes() {
        checkOpen();
        return FileStat.allocatedBytes(fd);
    }

    private void checkOpen() {
        if (closed) throw new ImageException(path.getFileName() + " is closed");
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        closeQuietly(fd);
    }

    @Override
    public String toString() { return path.toString(); }
}
