package org.nbdscope.engine.proto;

/** Request types (doc/proto.md, "Request types"). */
public enum NbdCommand {
    READ(0), WRITE(1), DISC(2), FLUSH(3), TRIM(4), CACHE(5), WRITE_ZEROES(6), BLOCK_STATUS(7);

    /** {@code NBD_CMD_FLAG_FUA}. */
    public static final int FLAG_FUA = 1;
    /** {@code NBD_CMD_FLAG_NO_HOLE}. */
    public static final int FLAG_NO_HOLE = 1 << 1;
    /** {@code NBD_CMD_FLAG_DF}. */
    public static final int FLAG_DF = 1 << 2;
    /** {@code NBD_CMD_FLAG_REQ_ONE}. */
    public static final int FLAG_REQ_ONE = 1 << 3;
    /** {@code NBD_CMD_FLAG_FAST_ZERO}. */
    public static final int FLAG_FAST_ZERO = 1 << 4;
    /** {@code NBD_CMD_FLAG_PAYLOAD_LEN} (extended headers). */
    public static final int FLAG_PAYLOAD_LEN = 1 << 5;

    private final int code;

    NbdCommand(int code) { this.code = code; }

    public int code() { return code; }

    public static NbdCommand of(int code) {
        for (NbdCommand c : values()) if (c.code == code) return c;
        return null;
    }
}
