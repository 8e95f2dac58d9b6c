package org.nbdscope.engine.zero;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/** Compares buffers with zero as memory segments (vectorised by the JDK), not byte loops. */
final class ZeroBytes {
    private ZeroBytes() {}

    /** Largest buffer compared in one call; longer buffers are compared in slices. */
    static final int SLICE = 1 << 20;
    private static final MemorySegment ZEROS = Arena.global().allocate(SLICE, 8);

    /** Index of the first non-zero byte between the buffer's position and limit, or -1 when all are zero. */
    static long firstNonZero(ByteBuffer buf) {
        MemorySegment s = MemorySegment.ofBuffer(buf);
        long n = s.byteSize();
        for (long p = 0; p < n; p += SLICE) {
            long len = Math.min(SLICE, n - p);
            long m = s.asSlice(p, len).mismatch(ZEROS.asSlice(0, len));
            if (m >= 0) return p + m;
        }
        return -1;
    }
}
