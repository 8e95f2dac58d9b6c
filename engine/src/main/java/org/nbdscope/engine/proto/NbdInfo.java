package org.nbdscope.engine.proto;

/**
 * Information types of {@code NBD_REP_INFO}. {@link #INIT_STATE} is the never-merged
 * 2020 zero-flag proposal (shared/reference/nbd-extensions.md).
 */
public enum NbdInfo {
    EXPORT(0), NAME(1), DESCRIPTION(2), BLOCK_SIZE(3), INIT_STATE(4);

    /** {@code NBD_INIT_SPARSE}: the whole export is unallocated. */
    public static final int INIT_SPARSE = 1;
    /** {@code NBD_INIT_ZERO}: the whole export reads as zero. */
    public static final int INIT_ZERO = 1 << 1;

    private final int code;

    NbdInfo(int code) { this.code = code; }

    public int code() { return code; }

    public static NbdInfo of(int code) {
        for (NbdInfo i : values()) if (i.code == code) return i;
        return null;
    }
}
