package org.nbdscope.engine.nbd.client;

import io.netty.buffer.ByteBuf;

/**
 * One message of the transmission phase as {@link ReplyDecoder} frames it: a simple reply or one chunk
 * of a structured/extended reply. Messages carrying a {@link ByteBuf} own it; the receiver releases it.
 */
sealed interface Reply {
    long cookie();

    /** True when this is the last message for the cookie ({@code NBD_REPLY_FLAG_DONE}, or a simple reply). */
    boolean done();

    /** A 16-byte simple reply; {@code data} holds the payload of a successful simple-reply READ, else null. */
    record Simple(long cookie, int error, ByteBuf data) implements Reply {
        public boolean done() { return true; }
    }

    /** {@code NBD_REPLY_TYPE_NONE}. */
    record None(long cookie, boolean done) implements Reply {}

    /** {@code NBD_REPLY_TYPE_OFFSET_DATA}: {@code data} holds the bytes starting at {@code offset}. */
    record Data(long cookie, boolean done, long offset, ByteBuf data) implements Reply {}

    /** {@code NBD_REPLY_TYPE_OFFSET_HOLE}: {@code length} bytes from {@code offset} read as zero. */
    record Hole(long cookie, boolean done, long offset, long length) implements Reply {}

    /**
     * {@code NBD_REPLY_TYPE_BLOCK_STATUS} ({@code extended} false) or {@code BLOCK_STATUS_EXT}: descriptors
     * of one meta context, lengths and status as read (not yet checked against the request).
     */
    record Status(long cookie, boolean done, boolean extended, int contextId, long[] lengths, long[] status) implements Reply {}

    /** An error chunk ({@code ERROR}, {@code ERROR_OFFSET} or an unknown type with bit 15); offset -1 when none. */
    record Error(long cookie, boolean done, int type, int error, String message, long offset) implements Reply {}

    /** A well-framed chunk that breaks the rules for its request; it fails only that request. */
    record Invalid(long cookie, boolean done, String reason) implements Reply {}
}
