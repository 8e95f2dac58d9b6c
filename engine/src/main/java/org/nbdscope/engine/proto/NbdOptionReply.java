package org.nbdscope.engine.proto;

/** Option reply types (doc/proto.md, "Option reply types"). Errors have bit 31 set. */
public enum NbdOptionReply {
    ACK(1), SERVER(2), INFO(3), META_CONTEXT(4),
    ERR_UNSUP(0x80000001), ERR_POLICY(0x80000002), ERR_INVALID(0x80000003), ERR_PLATFORM(0x80000004),
    ERR_TLS_REQD(0x80000005), ERR_UNKNOWN(0x80000006), ERR_SHUTDOWN(0x80000007),
    ERR_BLOCK_SIZE_REQD(0x80000008), ERR_TOO_BIG(0x80000009), ERR_EXT_HEADER_REQD(0x8000000a);

    private final int code;

    NbdOptionReply(int code) { this.code = code; }

    public int code() { return code; }

    public static boolean isError(int code) { return (code & 0x80000000) != 0; }

    public static NbdOptionReply of(int code) {
        for (NbdOptionReply r : values()) if (r.code == code) return r;
        return null;
    }

    public static String name(int code) {
        NbdOptionReply r = of(code);
        return r == null ? String.format("unknown reply 0x%08x", code) : "NBD_REP_" + r.name();
    }
}
