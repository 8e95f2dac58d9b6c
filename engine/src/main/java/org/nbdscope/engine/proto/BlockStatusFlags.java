package org.nbdscope.engine.proto;

/** Status bits of the {@code base:allocation} meta context. */
public final class BlockStatusFlags {
    private BlockStatusFlags() {}

    public static final String BASE_ALLOCATION = "base:allocation";
    public static final String QEMU_ALLOCATION_DEPTH = "qemu:allocation-depth";
    public static final String QEMU_DIRTY_BITMAP_PREFIX = "qemu:dirty-bitmap:";

    /** {@code NBD_STATE_HOLE}: unallocated. */
    public static final int STATE_HOLE = 1;
    /** {@code NBD_STATE_ZERO}: reads as zero. */
    public static final int STATE_ZERO = 1 << 1;

    /** Description as nbdinfo --map prints it for base:allocation. */
    public static String describeBaseAllocation(long status) {
        if (status == 0) return "data";
        if (status == STATE_HOLE) return "hole";
        if (status == STATE_ZERO) return "zero";
        if (status == (STATE_HOLE | STATE_ZERO)) return "hole,zero";
        return "unknown:" + status;
    }
}
