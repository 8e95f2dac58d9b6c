package org.nbdscope.engine.nbd.server;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdMagic;

/**
 * Decodes transmission requests: 28-byte compact headers, or 32-byte extended headers once negotiated,
 * each followed by its payload: a write always carries one (qemu 10 sends extended writes without
 * {@code NBD_CMD_FLAG_PAYLOAD_LEN}, so the flag is not required), any other request only with that flag.
 *
 * <p>A bad magic is fatal ({@link ProtocolViolation}: the stream cannot be resynchronised). A payload over
 * {@code maxPayload} is fatal with extended headers (the spec says to disconnect); a compact write that
 * large is passed on as {@link NbdRequest#payloadDropped()} (to be failed with an error) while its bytes
 * are discarded as they arrive, never buffered.
 */
public final class RequestDecoder extends ByteToMessageDecoder {
    private final boolean extended;
    private final long maxPayload;
    private final Admission admission;
    private NbdRequest pending;
    private long skip;

    /** Called for every decoded request (the transmission side uses it for flow control). */
    @FunctionalInterface
    public interface Admission {
        void admit(NbdRequest request);
    }

    public RequestDecoder(boolean extended, long maxPayload, Admission admission) {
        this.extended = extended;
        this.maxPayload = maxPayload;
        this.admission = admission;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (skip > 0) {
            int n = (int) Math.min(skip, in.readableBytes());
            in.skipBytes(n);
            skip -= n;
            if (skip > 0) return;
        }
        if (pending == null) {
            int header = extended ? NbdMagic.EXTENDED_REQUEST_SIZE : NbdMagic.COMPACT_REQUEST_SIZE;
            if (in.readableBytes() < header) return;
            int magic = in.getInt(in.readerIndex());
            int expected = extended ? NbdMagic.EXTENDED_REQUEST : NbdMagic.REQUEST;
            if (magic != expected) {
                throw new ProtocolViolation(String.format("bad request magic 0x%08x, expected 0x%08x (%s request headers)",
                    magic, expected, extended ? "extended" : "compact"));
            }
            in.skipBytes(4);
            int flags = in.readUnsignedShort();
            int type = in.readUnsignedShort();
            long cookie = in.readLong();
            long offset = in.readLong();
            long length = extended ? in.readLong() : in.readUnsignedInt();
            NbdRequest r = new NbdRequest(flags, type, cookie, offset, length, null, false);
            boolean hasPayload = type == NbdCommand.WRITE.code() || extended && (flags & NbdCommand.FLAG_PAYLOAD_LEN) != 0;
            if (!hasPayload || length == 0) {
                emit(r, out);
                return;
            }
            if (Long.compareUnsigned(length, maxPayload) > 0) {
                if (extended) {
                    throw new ProtocolViolation("request payload length " + Long.toUnsignedString(length)
                        + " exceeds the maximum payload " + maxPayload);
                }
                emit(r.dropped(), out);
                skip = length;
                int n = (int) Math.min(skip, in.readableBytes());
                in.skipBytes(n);
                skip -= n;
                return;
            }
            pending = r;
        }
        if (in.readableBytes() < pending.length()) return;
        NbdRequest r = pending.withPayload(in.readRetainedSlice((int) pending.length()));
        pending = null;
        emit(r, out);
    }

    private void emit(NbdRequest r, List<Object> out) {
        admission.admit(r);
        out.add(r);
    }
}
