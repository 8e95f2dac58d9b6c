package org.nbdscope.engine.zero;

/**
 * Bytes on the wire per request and reply, for plan predictions (doc/proto.md and the extended-headers
 * branch): compact request 28, extended request 32, simple reply 16, structured chunk header 20, extended
 * chunk header 32. Servers answer writes and write-zeroes with a simple reply unless extended headers are on.
 * Files have no wire: 0.
 */
final class WireSizes {
    private WireSizes() {}

    static boolean file(ZeroTarget t) { return t.kind() != TargetKind.NBD; }

    static boolean extended(ZeroTarget t) { return "extended".equals(t.headerMode()); }

    static long request(ZeroTarget t) { return file(t) ? 0 : extended(t) ? 32 : 28; }

    /** Reply to WRITE or WRITE_ZEROES. */
    static long commandReply(ZeroTarget t) { return file(t) ? 0 : extended(t) ? 32 : 16; }

    /** Reply to BLOCK_STATUS with one context and {@code descriptors} extents (final NONE chunk not counted). */
    static long statusReply(ZeroTarget t, long descriptors) {
        if (file(t)) return 0;
        return extended(t) ? 32 + 8 + 16 * descriptors : 20 + 4 + 8 * descriptors;
    }
}
