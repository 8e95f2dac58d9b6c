package org.nbdscope.engine.zero;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.nbdscope.engine.posix.Posix;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdError;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.source.SourceDetails;
import org.nbdscope.engine.source.SourceException;
import org.nbdscope.engine.source.WireCounters;
import org.nbdscope.engine.source.WireStats;

/**
 * A raw image file or block device as a {@link ZeroTarget}: block status from {@code SEEK_DATA}/{@code SEEK_HOLE}
 * (a file system without them reports everything as data), zeroing with {@code fallocate} punch-hole (or
 * zero-range when the file system cannot punch, or with {@code NO_HOLE}), reads and literal writes with
 * {@code pread}/{@code pwrite}. Counters count system calls as requests: {@code BLOCK_STATUS} per map query,
 * {@code WRITE_ZEROES} per fallocate, bytes read as received and bytes written as sent.
 *
 * <p>Opened read-only unless asked for writing; a file that cannot be opened for writing is read-only.
 */
public final class RawFileZeroTarget implements ZeroTarget {
    /** Extents returned by one block-status query at most. */
    static final int MAX_EXTENTS = 1024;
    private static final int ZERO_BUF = 1 << 20;

    private final Path path;
    private final int fd;
    private final boolean readOnly;
    private final long size;
    private final WireCounters counters = new WireCounters();
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean modified;
    private volatile boolean seekWorks = true;
    private final MemorySegment zeros = Arena.ofAuto().allocate(ZERO_BUF, 4096);

    private RawFileZeroTarget(Path path, int fd, boolean readOnly, long size) {
        this.path = path;
        this.fd = fd;
        this.readOnly = readOnly;
        this.size = size;
    }

    /**
     * Opens {@code path}; with {@code forWriting} it tries read-write first and falls back to read-only when the
     * file may not be written (the target then reports {@link #readOnly()}). Opening never writes.
     */
    public static RawFileZeroTarget open(Path path, boolean forWriting) {
        String p = path.toString();
        int fd;
        boolean ro = !forWriting;
        try {
            if (forWriting) {
                try {
                    fd = Posix.open(p, Posix.O_RDWR);
                } catch (Posix.ErrnoException e) {
                    if (e.errno() != 13 && e.errno() != 30 && e.errno() != 1) throw e; // EACCES, EROFS, EPERM
                    fd = Posix.open(p, Posix.O_RDONLY);
                    ro = true;
                }
            } else {
                fd = Posix.open(p, Posix.O_RDONLY);
            }
        } catch (IOException e) {
            throw new SourceException(p + ": " + e.getMessage(), e);
        }
        try {
            long size = Posix.blockDeviceSize(fd);
            if (size < 0) size = Posix.size(fd);
            return new RawFileZeroTarget(path, fd, ro, size);
        } catch (IOException e) {
            try {
                Posix.close(fd);
            } catch (IOException ignored) {
                // reporting the first failure
            }
            throw new SourceException(p + ": " + e.getMessage(), e);
        }
    }

    @Override public String name() { return path.toString(); }
    @Override public long size() { return size; }
    @Override public boolean readOnly() { return readOnly; }
    @Override public List<String> contexts() { return List.of(BlockStatusFlags.BASE_ALLOCATION); }
    @Override public long maxStatusLength() { return Long.MAX_VALUE; }
    @Override public int preferredInFlight() { return 1; }
    @Override public TargetKind kind() { return TargetKind.RAW_FILE; }
    @Override public String confirmationName() { return path.getFileName() == null ? path.toString() : path.getFileName().toString(); }
    @Override public InitState initState() { return InitState.NOT_SENT; }
    @Override public String headerMode() { return "file"; }
    @Override public boolean wideLengths() { return true; }
    @Override public boolean canBlockStatus() { return true; }
    @Override public boolean canWriteZeroes() { return !readOnly; }
    @Override public boolean canFastZero() { return false; }
    @Override public boolean canTrim() { return !readOnly; }
    @Override public long minimumBlockSize() { return 1; }
    @Override public long preferredBlockSize() { return 4096; }
    @Override public long maximumPayload() { return 0; }
    @Override public long maxZeroLength() { return Long.MAX_VALUE; }
    @Override public boolean modifiedSinceOpen() { return modified; }
    @Override public WireStats stats() { return counters.snapshot(); }

    @Override
    public SourceDetails details() {
        return new SourceDetails().add("Image", "Path", path).add("Image", "Format", "raw").add("Image", "Size", size)
            .add("Image", "Opened", readOnly ? "read-only" : "read-write")
            .add("Image", "Allocation map", seekWorks ? "SEEK_DATA/SEEK_HOLE" : "none (everything reported as data)");
    }

    @Override
    public CompletableFuture<ExtentBatch> blockStatus(String context, long offset, long length, boolean reqOne) {
        if (!BlockStatusFlags.BASE_ALLOCATION.equals(context)) {
            return CompletableFuture.failedFuture(new SourceException(path + ": context " + context + " is not available for a raw file"));
        }
        if (offset < 0 || length <= 0 || offset > size || length > size - offset) {
            return CompletableFuture.failedFuture(new SourceException(path + ": block status " + offset + "+" + length + " is outside the file size " + size));
        }
        counters.request(NbdCommand.BLOCK_STATUS);
        counters.roundTrip();
        try {
            long end = offset + length;
            int max = reqOne ? 1 : MAX_EXTENTS;
            long[] lens = new long[max];
            long[] st = new long[max];
            int n = 0;
            long p = offset;
            while (p < end && n < max) {
                long[] ext = extentAt(p, end);
                if (n > 0 && st[n - 1] == ext[1]) {
                    lens[n - 1] += ext[0] - p;
                } else {
                    lens[n] = ext[0] - p;
                    st[n] = ext[1];
                    n++;
                }
                p = ext[0];
            }
            return CompletableFuture.completedFuture(new ExtentBatch(offset, lens, st, n));
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new SourceException(path + ": " + e.getMessage(), e));
        }
    }

    /** {end, status} of the extent starting at {@code p}, clipped to {@code end}. */
    private long[] extentAt(long p, long end) throws IOException {
        long hz = BlockStatusFlags.STATE_HOLE | BlockStatusFlags.STATE_ZERO;
        if (!seekWorks) return new long[] {end, 0};
        long data;
        try {
            data = Posix.lseek(fd, p, Posix.SEEK_DATA);
        } catch (Posix.ErrnoException e) {
            if (e.errno() != Posix.EINVAL && e.errno() != Posix.EOPNOTSUPP) throw e;
            seekWorks = false;
            return new long[] {end, 0};
        }
        if (data < 0 || data >= end) return new long[] {end, hz};
        if (data > p) return new long[] {data, hz};
        long hole = Posix.lseek(fd, p, Posix.SEEK_HOLE);
        return new long[] {hole < 0 ? end : Math.min(hole, end), 0};
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long offset, long length, int flags) {
        if (readOnly) return CompletableFuture.failedFuture(TargetCommandException.of(NbdCommand.WRITE_ZEROES, offset, length, NbdError.EPERM.code()));
        counters.request(NbdCommand.WRITE_ZEROES);
        counters.roundTrip();
        modified = true;
        boolean noHole = (flags & NbdCommand.FLAG_NO_HOLE) != 0;
        try {
            if (!noHole) {
                try {
                    Posix.fallocate(fd, Posix.FALLOC_FL_PUNCH_HOLE | Posix.FALLOC_FL_KEEP_SIZE, offset, length);
                    return CompletableFuture.completedFuture(null);
                } catch (Posix.ErrnoException e) {
                    if (e.errno() != Posix.EOPNOTSUPP) throw e;
                }
            }
            Posix.fallocate(fd, Posix.FALLOC_FL_ZERO_RANGE | Posix.FALLOC_FL_KEEP_SIZE, offset, length);
            return CompletableFuture.completedFuture(null);
        } catch (Posix.ErrnoException e) {
            counters.serverError();
            int err = e.errno() == Posix.EOPNOTSUPP ? NbdError.ENOTSUP.code() : NbdError.EIO.code();
            return CompletableFuture.failedFuture(new TargetCommandException(NbdCommand.WRITE_ZEROES, offset, length, err,
                path + ": fallocate at " + offset + " length " + length + ": " + e.getMessage(), e));
        } catch (IOException e) {
            counters.serverError();
            return CompletableFuture.failedFuture(new TargetCommandException(NbdCommand.WRITE_ZEROES, offset, length,
                NbdError.EIO.code(), path + ": " + e.getMessage(), e));
        }
    }

    @Override
    public CompletableFuture<Void> writeZeroBytes(long offset, int length) {
        if (readOnly) return CompletableFuture.failedFuture(TargetCommandException.of(NbdCommand.WRITE, offset, length, NbdError.EPERM.code()));
        counters.request(NbdCommand.WRITE);
        counters.roundTrip();
        modified = true;
        try {
            for (long done = 0; done < length; ) {
                int n = (int) Math.min(ZERO_BUF, length - done);
                Posix.pwriteFully(fd, zeros.asSlice(0, n), offset + done);
                done += n;
            }
            counters.sent(length);
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            counters.serverError();
            return CompletableFuture.failedFuture(new TargetCommandException(NbdCommand.WRITE, offset, length,
                NbdError.EIO.code(), path + ": " + e.getMessage(), e));
        }
    }

    @Override
    public CompletableFuture<ByteBuffer> read(long offset, int length) {
        counters.request(NbdCommand.READ);
        counters.roundTrip();
        try {
            MemorySegment buf = Arena.ofAuto().allocate(length, 4096);
            Posix.preadFully(fd, buf, offset);
            counters.received(length);
            return CompletableFuture.completedFuture(buf.asByteBuffer());
        } catch (IOException e) {
            counters.serverError();
            return CompletableFuture.failedFuture(new TargetCommandException(NbdCommand.READ, offset, length,
                NbdError.EIO.code(), path + ": " + e.getMessage(), e));
        }
    }

    /** Flushes written data to stable storage. */
    public void fsync() {
        try {
            Posix.fsync(fd);
        } catch (IOException e) {
            throw new SourceException(path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        try {
            if (modified) Posix.fsync(fd);
            Posix.close(fd);
        } catch (IOException e) {
            throw new SourceException(path + ": " + e.getMessage(), e);
        }
    }
}
