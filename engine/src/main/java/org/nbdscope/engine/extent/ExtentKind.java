package org.nbdscope.engine.extent;

import org.nbdscope.engine.proto.BlockStatusFlags;

/** What a heat-map cell shows for a {@code base:allocation} status. */
public enum ExtentKind {
    /** Allocated, may hold non-zero bytes. */
    DATA,
    /** Allocated but reads as zero. */
    ZERO,
    /** Unallocated (whether or not it reads as zero). */
    HOLE,
    /** Not scanned, or could not be read. */
    UNKNOWN;

    public static ExtentKind of(int status) {
        if (status == ExtentMap.UNKNOWN) return UNKNOWN;
        if ((status & BlockStatusFlags.STATE_HOLE) != 0) return HOLE;
        if ((status & BlockStatusFlags.STATE_ZERO) != 0) return ZERO;
        return DATA;
    }

    /** True when a range of this status reads as zero for certain. */
    public static boolean readsAsZero(int status) {
        return status != ExtentMap.UNKNOWN && (status & BlockStatusFlags.STATE_ZERO) != 0;
    }
}
