package org.nbdscope.engine.nbd.server.backend;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.nbdscope.engine.posix.Posix;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.NbdError;
import org.nbdscope.engine.proto.NbdInfo;

/**
 * A raw file or block device, through {@link Posix}: {@code pread}/{@code pwrite}; holes and data from
 * {@code lseek(SEEK_DATA/SEEK_HOLE)}; zeroing by {@code fallocate} punch-hole (or zero-range with
 * {@code NO_HOLE}), falling back to writing zeroes. {@code FAST_ZERO} succeeds only when one of the
 * {@code fallocate} calls does; a file system that supports neither makes it fail at once.
 */
public final class RawFileBackend implements Backend {
    private static final int ZERO_CHUNK = 1 << 20;
    private static final int HOLE_ZERO = BlockStatusFlags.STATE_HOLE | BlockStatusFlags.STATE_ZERO;

    private final Path path;
    private final int fd;
    private final long size;
    private final boolean writable;
    private volatile boolean seekHoles = true;

    private RawFileBackend(Path path, int fd, long size, boolean writable) {
        this.path = path;
        this.fd = fd;
        this.size = size;
        this.writable = writable;
    }

    /**
     * Opens {@code path} read-write, or read-only when {@code readOnly} is set. A file that cannot be
     * opened for writing is an error, never a silent downgrade.
     */
    public static RawFileBackend open(Path path, boolean readOnly) throws IOException {
        if (Files.isDirectory(path)) throw new IOException(path + " is a directory, not a raw file or block device");
        int fd;
        try {
            fd = Posix.open(path.toString(), readOnly ? Posix.O_RDONLY : Posix.O_RDWR);
        } catch (Posix.ErrnoException e) {
            String hint = readOnly ? "" : " (serve it with --read-only to open it read-only)";
            throw new IOException("cannot open " + path + (readOnly ? "" : " for writing") + ": " + e.getMessage() + hint, e);
        }
        try {
            long size = Posix.size(fd);
            if (size <= 0) throw new IOException(path + " is empty; a raw export needs a size greater than zero");
            return new RawFileBackend(path, fd, size, !readOnly);
        } catch (IOException e) {
            Posix.close(fd);
            throw e;
        }
    }

    public Path path() { return path; }

    @Override public long size() { return size; }

    @Override public boolean writable() { return writable; }

    @Override public BlockSizes blockSizes() { return BlockSizes.DEFAULT; }

    @Override public String description() { return "raw file " + path + ", " + ByteSize.format(size); }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        int n = dst.remaining();
        if (dst.isDirect()) {
            MemorySegment seg = MemorySegment.ofBuffer(dst);
            readInto(offset, seg);
        } else {
            try (Arena a = Arena.ofConfined()) {
                MemorySegment seg = a.allocate(n);
                readInto(offset, seg);
                dst.put(dst.position(), seg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            }
        }
        dst.position(dst.position() + n);
    }

    /** Reads the whole segment; bytes past the end of a file that shrank read as zero. */
    private void readInto(long offset, MemorySegment seg) throws IOException {
        long done = 0;
        while (done < seg.byteSize()) {
            long r = Posix.pread(fd, seg.asSlice(done), offset + done);
            if (r == 0) {
                seg.asSlice(done).fill((byte) 0);
                return;
            }
            done += r;
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        requireWritable();
        int n = src.remaining();
        try {
            if (src.isDirect()) {
                Posix.pwriteFully(fd, MemorySegment.ofBuffer(src), offset);
            } else {
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment seg = a.allocate(n);
                    seg.copyFrom(MemorySegment.ofBuffer(src));
                    Posix.pwriteFully(fd, seg, offset);
                }
            }
        } catch (Posix.ErrnoException e) {
            throw translate(e);
        }
        src.position(src.position() + n);
    }

    @Override
    public boolean zero(long offset, long length, boolean mayPunch, boolean fastOnly) throws IOException {
        requireWritable();
        if (length <= 0) return true;
        if (mayPunch && fallocate(Posix.FALLOC_FL_PUNCH_HOLE | Posix.FALLOC_FL_KEEP_SIZE, offset, length)) return true;
        if (fallocate(Posix.FALLOC_FL_ZERO_RANGE | Posix.FALLOC_FL_KEEP_SIZE, offset, length)) return true;
        if (fastOnly) return false;
        writeZeroes(offset, length);
        return true;
    }

    /** True when the call succeeded; false when the file system does not support this mode. */
    private boolean fallocate(int mode, long offset, long length) throws IOException {
        try {
            Posix.fallocate(fd, mode, offset, length);
            return true;
        } catch (Posix.ErrnoException e) {
            if (e.errno() == Posix.EOPNOTSUPP || e.errno() == Posix.EINVAL || e.errno() == Posix.ENOTTY) return false;
            throw translate(e);
        }
    }

    private void writeZeroes(long offset, long length) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment zeroes = a.allocate(ZERO_CHUNK);
            long done = 0;
            while (done < length) {
                int n = (int) Math.min(ZERO_CHUNK, length - done);
                Posix.pwriteFully(fd, zeroes.asSlice(0, n), offset + done);
                done += n;
            }
        } catch (Posix.ErrnoException e) {
            throw translate(e);
        }
    }

    @Override
    public void trim(long offset, long length) throws IOException {
        requireWritable();
        if (length > 0) fallocate(Posix.FALLOC_FL_PUNCH_HOLE | Posix.FALLOC_FL_KEEP_SIZE, offset, length);
    }

    @Override
    public void flush() throws IOException {
        if (writable) Posix.fsync(fd);
    }

    @Override
    public void extents(long offset, ExtentSink sink) throws IOException {
        long pos = offset;
        if (!seekHoles) {
            sink.extent(size - pos, 0);
            return;
        }
        while (pos < size) {
            long data;
            try {
                data = Posix.lseek(fd, pos, Posix.SEEK_DATA);
            } catch (Posix.ErrnoException e) {
                if (e.errno() != Posix.EINVAL) throw e;
                seekHoles = false; // no SEEK_DATA here (old file system, some block devices): all data
                sink.extent(size - pos, 0);
                return;
            }
            if (data < 0 || data >= size) {
                sink.extent(size - pos, HOLE_ZERO);
                return;
            }
            if (data > pos) {
                if (!sink.extent(data - pos, HOLE_ZERO)) return;
                pos = data;
            }
            long hole = Posix.lseek(fd, pos, Posix.SEEK_HOLE);
            if (hole < 0 || hole > size) hole = size;
            if (hole <= pos) hole = size; // the file changed under us: report the rest as data
            if (!sink.extent(hole - pos, 0)) return;
            pos = hole;
        }
    }

    /**
     * {@code INIT_ZERO | INIT_SPARSE} when {@code SEEK_DATA} finds no data in the file (the kernel reports
     * every byte as a hole, which reads as zero); otherwise nothing is known.
     */
    @Override
    public int initState() throws IOException {
        if (!seekHoles) return 0;
        try {
            long data = Posix.lseek(fd, 0, Posix.SEEK_DATA);
            return data < 0 || data >= size ? NbdInfo.INIT_ZERO | NbdInfo.INIT_SPARSE : 0;
        } catch (Posix.ErrnoException e) {
            return 0;
        }
    }

    private void requireWritable() throws BackendException {
        if (!writable) throw new BackendException(NbdError.EPERM, path + " is open read-only");
    }

    private static IOException translate(Posix.ErrnoException e) {
        return switch (e.errno()) {
            case 28, 122, 27 -> new BackendException(NbdError.ENOSPC, e.getMessage(), e); // ENOSPC, EDQUOT, EFBIG
            case 30, 13, 1 -> new BackendException(NbdError.EPERM, e.getMessage(), e); // EROFS, EACCES, EPERM
            default -> e;
        };
    }

    @Override
    public void close() throws IOException {
        Posix.close(fd);
    }
}
