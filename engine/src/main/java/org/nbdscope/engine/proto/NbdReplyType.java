package org.nbdscope.engine.proto;

/** Structured/extended reply chunk types (doc/proto.md, "Structured reply types"). */
public enum NbdReplyType {
    NONE(0), OFFSET_DATA(1), OFFSET_HOLE(2), BLOCK_STATUS(5), BLOCK_STATUS_EXT(6),
    ERROR(0x8001), ERROR_OFFSET(0x8002);

    /** {@code NBD_REPLY_FLAG_DONE}. */
    public static final int FLAG_DONE = 1;

    private final int code;

    NbdReplyType(int code) { this.code = code; }

    public int code() { return code; }

    /** Error chunk types have bit 15 set. */
    public static boolean isError(int code) { return (code & 0x8000) != 0; }

    public static NbdReplyType of(int code) {
        for (NbdReplyType t : values()) if (t.code == code) return t;
        return null;
    }
}
