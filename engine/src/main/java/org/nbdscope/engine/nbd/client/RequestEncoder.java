package org.nbdscope.engine.nbd.client;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdMagic;

/**
 * Writes requests as 28-byte compact headers or, with extended headers, 32-byte headers. A WRITE's
 * payload follows its header without a copy; with extended headers it carries
 * {@code NBD_CMD_FLAG_PAYLOAD_LEN} and the payload length.
 */
final class RequestEncoder extends MessageToMessageEncoder<NbdRequest> {
    private final boolean extended;

    RequestEncoder(HeaderMode mode) {
        super(NbdRequest.class);
        this.extended = mode == HeaderMode.EXTENDED;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, NbdRequest r, List<Object> out) {
        out.add(header(ctx.alloc().buffer(extended ? NbdMagic.EXTENDED_REQUEST_SIZE : NbdMagic.COMPACT_REQUEST_SIZE), r, extended));
        if (r.payload() != null) out.add(r.payload());
    }

    /** Writes the header of {@code r} into {@code buf}. */
    static ByteBuf header(ByteBuf buf, NbdRequest r, boolean extended) {
        int flags = r.flags();
        if (extended && r.command() == NbdCommand.WRITE) flags |= NbdCommand.FLAG_PAYLOAD_LEN;
        buf.writeInt(extended ? NbdMagic.EXTENDED_REQUEST : NbdMagic.REQUEST);
        buf.writeShort(flags);
        buf.writeShort(r.command().code());
        buf.writeLong(r.cookie());
        buf.writeLong(r.offset());
        if (extended) {
            buf.writeLong(r.length());
        } else {
            if (r.length() < 0 || r.length() > 0xFFFFFFFFL) {
                buf.release();
                throw new IllegalArgumentException("length " + r.length() + " does not fit a compact request");
            }
            buf.writeInt((int) r.length());
        }
        return buf;
    }
}
