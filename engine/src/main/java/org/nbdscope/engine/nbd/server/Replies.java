package org.nbdscope.engine.nbd.server;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/** Payload builders shared by the handshake and transmission handlers. */
final class Replies {
    private Replies() {}

    /** Longest string the protocol allows (error messages, names). */
    static final int MAX_STRING = 4096;

    /** UTF-8 bytes of {@code s}, cut to at most 4096 bytes on a character boundary. */
    static byte[] utf8(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length <= MAX_STRING) return b;
        int n = MAX_STRING;
        while (n > 0 && (b[n] & 0xC0) == 0x80) n--;
        return java.util.Arrays.copyOf(b, n);
    }

    /** Payload of an {@code NBD_REPLY_TYPE_ERROR} chunk: error, message length, message. */
    static ByteBuf errorPayload(ByteBufAllocator alloc, int error, String message) {
        byte[] m = utf8(message);
        ByteBuf b = alloc.buffer(6 + m.length);
        b.writeInt(error).writeShort(m.length).writeBytes(m);
        return b;
    }
}
