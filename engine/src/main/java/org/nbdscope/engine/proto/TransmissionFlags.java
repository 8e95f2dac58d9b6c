package org.nbdscope.engine.proto;

import java.util.ArrayList;
import java.util.List;

/** Transmission flags (16 bits, doc/proto.md "Transmission flags"). */
public final class TransmissionFlags {
    private TransmissionFlags() {}

    public static final int HAS_FLAGS = 1;
    public static final int READ_ONLY = 1 << 1;
    public static final int SEND_FLUSH = 1 << 2;
    public static final int SEND_FUA = 1 << 3;
    public static final int ROTATIONAL = 1 << 4;
    public static final int SEND_TRIM = 1 << 5;
    public static final int SEND_WRITE_ZEROES = 1 << 6;
    public static final int SEND_DF = 1 << 7;
    public static final int CAN_MULTI_CONN = 1 << 8;
    public static final int SEND_RESIZE = 1 << 9;
    public static final int SEND_CACHE = 1 << 10;
    public static final int SEND_FAST_ZERO = 1 << 11;
    public static final int BLOCK_STATUS_PAYLOAD = 1 << 12;

    private static final String[] NAMES = {
        "has flags", "read-only", "flush", "FUA", "rotational", "trim", "write zeroes", "don't fragment",
        "multi-conn", "resize", "cache", "fast zero", "block-status payload"};

    public static boolean has(int flags, int bit) { return (flags & bit) != 0; }

    /** The set flags in words, for display: "read-only, flush, trim". Unknown bits as "bit N". */
    public static List<String> words(int flags) {
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < 16; bit++) {
            if ((flags & (1 << bit)) == 0) continue;
            out.add(bit < NAMES.length ? NAMES[bit] : "bit " + bit);
        }
        return out;
    }
}
