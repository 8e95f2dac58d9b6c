package org.nbdscope.engine.nbd.server;

import io.netty.buffer.ByteBuf;

/** A transmission reply, encoded by {@link ReplyEncoder}. Payload buffers pass to the encoder. */
public sealed interface Reply {
    long cookie();

    /** A simple reply: error (0 for success) and, for a successful simple read, the data. */
    record Simple(long cookie, int error, ByteBuf data) implements Reply {}

    /**
     * A structured or extended reply chunk. {@code requestOffset} is only sent with extended headers.
     * {@code payload} may be null for an empty chunk.
     */
    record Chunk(long cookie, long requestOffset, int flags, int type, ByteBuf payload) implements Reply {}
}
