package org.nbdscope.engine.zero;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.ExtentBatch;

/**
 * What the zero probe and make-zero need from a target, beyond the {@link BlockSource} view: the zero flag,
 * the header mode, which zeroing commands exist and how long they may be, and the commands themselves.
 * Implemented over an NBD connection ({@link NbdZeroTarget}), a raw file ({@link RawFileZeroTarget}) and, for
 * probing only, a qcow2 image ({@link ImageZeroTarget}).
 *
 * <p>Failing commands complete their future exceptionally with a {@link TargetCommandException} where an error
 * value is known, so the make-zero ladder can tell {@code NBD_ENOTSUP} from other failures. Every command is
 * counted in {@link #stats()}.
 */
public interface ZeroTarget extends BlockSource {

    /** NBD export, raw file or qcow2 image. */
    TargetKind kind();

    /**
     * The name the app asks the user to type before make-zero: the export name, or the target's
     * {@link #name()} when the export name is empty, the file name for files.
     */
    String confirmationName();

    /** {@code NBD_INFO_INIT_STATE} as sent at connection time; {@link InitState#NOT_SENT} for files. */
    InitState initState();

    /** "extended", "structured", "simple" for NBD; "file" for image files. */
    String headerMode();

    /** True when block status and zeroing carry 64-bit lengths (extended headers, files). */
    boolean wideLengths();

    /** True when {@code base:allocation} (or the file's own map) can answer block status. */
    boolean canBlockStatus();

    /** {@code NBD_FLAG_SEND_WRITE_ZEROES}; for raw files, fallocate is tried. */
    boolean canWriteZeroes();

    /** {@code NBD_FLAG_SEND_FAST_ZERO}. */
    boolean canFastZero();

    /** {@code NBD_FLAG_SEND_TRIM} (reported only: a trim does not promise zeroes). */
    boolean canTrim();

    /** {@code NBD_INFO_BLOCK_SIZE} minimum, or 1 when not sent. Offsets and lengths are multiples of it. */
    long minimumBlockSize();

    /** Preferred block size, or 0 when not sent. */
    long preferredBlockSize();

    /** Maximum payload (largest READ/WRITE), or 0 when not sent. */
    long maximumPayload();

    /** Largest length one write-zeroes request may carry: 32-bit limit aligned, or the whole export with 64-bit lengths. */
    long maxZeroLength();

    /**
     * True once this connection or handle sent a write, write-zeroes or trim: the zero flag, which describes
     * connection time only, no longer says anything.
     */
    boolean modifiedSinceOpen();

    /** Why make-zero must refuse this target whatever the options (for example a qcow2 image), or null. */
    default String zeroRefusal() { return null; }

    /** Block status of {@code base:allocation}, as {@link #blockStatus(String, long, long, boolean)}. */
    default CompletableFuture<ExtentBatch> allocation(long offset, long length, boolean reqOne) {
        return blockStatus(BlockStatusFlags.BASE_ALLOCATION, offset, length, reqOne);
    }

    /** {@code NBD_CMD_WRITE_ZEROES} with command flags ({@code FAST_ZERO}, {@code NO_HOLE}); fallocate for raw files. */
    CompletableFuture<Void> writeZeroes(long offset, long length, int flags);

    /** A literal write of {@code length} zero bytes ({@code NBD_CMD_WRITE}); at most {@link #maxWriteLength()}. */
    CompletableFuture<Void> writeZeroBytes(long offset, int length);

    /** True when {@link #read} works (an image reader that only maps says no). */
    default boolean canRead() { return true; }

    /** Reads {@code length} bytes ({@code NBD_CMD_READ}); at most {@link #maxWriteLength()}. */
    CompletableFuture<ByteBuffer> read(long offset, int length);

    /** Largest READ/WRITE this target takes: the maximum payload, else the portable 32 MiB. */
    default int maxWriteLength() {
        long m = maximumPayload();
        return (int) (m <= 0 ? PORTABLE_PAYLOAD : Math.min(m, PORTABLE_PAYLOAD));
    }

    /** 2^25: no server should consider a payload this large an attack (doc/proto.md). */
    long PORTABLE_PAYLOAD = 1L << 25;

    /** The 32-bit length limit of compact requests. */
    long MAX_32 = 0xffff_ffffL;

    /** Largest 32-bit length that keeps requests aligned: {@code 0xffffffff} rounded down to {@code align} (at least 4 KiB). */
    static long max32(long minimumBlock, long preferredBlock) {
        long align = Math.max(4096, Math.max(minimumBlock, preferredBlock));
        return MAX_32 / align * align;
    }
}
