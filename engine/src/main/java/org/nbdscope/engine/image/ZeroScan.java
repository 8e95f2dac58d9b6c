package org.nbdscope.engine.image;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The {@code --detect-zeroes} content pass: reads allocated data and finds the blocks that read as zero,
 * comparing whole segments against a zero segment ({@link MemorySegment#mismatch}), never byte by byte.
 */
final class ZeroScan {
    /** Blocks are judged on guest-offset boundaries of this size. */
    static final long BLOCK = 4096;
    /** At most this much is read per step. */
    static final long CHUNK = 1 << 20;
    private static final MemorySegment ZEROS = Arena.global().allocate(CHUNK, 8);

    private ZeroScan() {}

    /** Receives consecutive pieces of the scanned range. */
    interface Sink {
        void piece(long length, boolean zero);
    }

    /**
     * Classifies guest range {@code [guest, guest + length)}, stored from {@code host} in {@code file}
     * ({@code length <= CHUNK}; bytes past the end of the file read as zero), into zero and data pieces.
     */
    static void scan(ImageFile file, long guest, long host, long length, MemorySegment buf, Sink sink) {
        long got = file.readUpTo(buf.asSlice(0, length), host, "data for the zero check");
        if (got < length) buf.asSlice(got, length - got).fill((byte) 0);
        long p = 0;
        while (p < length) {
            long mm = MemorySegment.mismatch(buf, p, length, ZEROS, 0, length - p);
            if (mm < 0) {
                sink.piece(length - p, true);
                return;
            }
            long first = p + mm;
            long zeroEnd = Math.max(p, floor(guest, first));
            if (zeroEnd > p) sink.piece(zeroEnd - p, true);
            long dataEnd = Math.min(length, ceil(guest, first + 1));
            while (dataEnd < length) {
                long next = Math.min(length, ceil(guest, dataEnd + 1));
                if (MemorySegment.mismatch(buf, dataEnd, next, ZEROS, 0, next - dataEnd) < 0) break;
                dataEnd = next;
            }
            sink.piece(dataEnd - zeroEnd, false);
            p = dataEnd;
        }
    }

    /** Relative offset of the block boundary at or below relative offset {@code rel}. */
    private static long floor(long guest, long rel) {
        return (guest + rel) / BLOCK * BLOCK - guest;
    }

    /** Relative offset of the block boundary at or above relative offset {@code rel}. */
    private static long ceil(long guest, long rel) {
        return ((guest + rel + BLOCK - 1) / BLOCK) * BLOCK - guest;
    }
}
