package org.nbdscope.engine.nbd.server;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * A transmission reply, encoded by {@link ReplyEncoder}. It owns its buffer and is reference counted
 * through it, so Netty releases the buffer whichever way the write ends (sent, failed, channel closed).
 */
public sealed interface Reply extends ReferenceCounted {
    long cookie();

    /** The data or payload buffer, or null. */
    ByteBuf buffer();

    /** A simple reply: error (0 for success) and, for a successful simple read, the data. */
    record Simple(long cookie, int error, ByteBuf data) implements Reply {
        @Override public ByteBuf buffer() { return data; }
    }

    /**
     * A structured or extended reply chunk. {@code requestOffset} is only sent with extended headers.
     * {@code payload} may be null for an empty chunk.
     */
    record Chunk(long cookie, long requestOffset, int flags, int type, ByteBuf payload) implements Reply {
        @Override public ByteBuf buffer() { return payload; }
    }

    @Override
    default int refCnt() { return buffer() == null ? 1 : buffer().refCnt(); }

    @Override
    default Reply retain() {
        if (buffer() != null) buffer().retain();
        return this;
    }

    @Override
    default Reply retain(int increment) {
        if (buffer() != null) buffer().retain(increment);
        return this;
    }

    @Override
    default Reply touch() { return this; }

    @Override
    default Reply touch(Object hint) {
        if (buffer() != null) buffer().touch(hint);
        return this;
    }

    @Override
    default boolean release() { return buffer() != null && buffer().release(); }

    @Override
    default boolean release(int decrement) { return buffer() != null && buffer().release(decrement); }
}
