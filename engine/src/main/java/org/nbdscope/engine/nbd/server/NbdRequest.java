package org.nbdscope.engine.nbd.server;

import io.netty.buffer.ByteBuf;

/**
 * One decoded transmission request. {@code length} is unsigned (a 32-bit compact length, or a 64-bit
 * extended one that may be negative as a Java long); {@code payload} is present for a write (or a request
 * with {@code NBD_CMD_FLAG_PAYLOAD_LEN}) and belongs to whoever handles the request.
 * {@code payloadDropped} marks a compact write whose payload exceeded the maximum and was discarded.
 */
public record NbdRequest(int flags, int type, long cookie, long offset, long length, ByteBuf payload, boolean payloadDropped) {

    NbdRequest withPayload(ByteBuf p) { return new NbdRequest(flags, type, cookie, offset, length, p, false); }

    NbdRequest dropped() { return new NbdRequest(flags, type, cookie, offset, length, null, true); }

    /** Releases the payload, if any. */
    public void release() {
        if (payload != null && payload.refCnt() > 0) payload.release();
    }
}
