package org.nbdscope.engine.nbd.server;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import org.nbdscope.engine.proto.NbdMagic;

/**
 * Encodes {@link Reply} messages for the connection's {@link HeaderMode}: 16-byte simple replies, 20-byte
 * structured chunk headers or 32-byte extended chunk headers, each followed by its payload without a copy.
 * A simple reply in extended mode, or a chunk in simple mode, is a server bug and fails the write. The
 * encoder releases the reply (and so its buffer) after encoding, as every MessageToMessageEncoder does.
 */
public final class ReplyEncoder extends MessageToMessageEncoder<Reply> {
    private final HeaderMode mode;

    public ReplyEncoder(HeaderMode mode) {
        super(Reply.class);
        this.mode = mode;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Reply msg, List<Object> out) {
        switch (msg) {
            case Reply.Simple s -> {
                if (mode == HeaderMode.EXTENDED) throw new IllegalStateException("simple reply with extended headers");
                ByteBuf h = ctx.alloc().buffer(NbdMagic.SIMPLE_REPLY_SIZE);
                h.writeInt(NbdMagic.SIMPLE_REPLY).writeInt(s.error()).writeLong(s.cookie());
                out.add(h);
                if (s.data() != null) out.add(s.data().retain());
            }
            case Reply.Chunk c -> {
                if (mode == HeaderMode.SIMPLE) throw new IllegalStateException("structured reply chunk without structured replies");
                int len = c.payload() == null ? 0 : c.payload().readableBytes();
                ByteBuf h;
                if (mode == HeaderMode.EXTENDED) {
                    h = ctx.alloc().buffer(NbdMagic.EXTENDED_REPLY_SIZE);
                    h.writeInt(NbdMagic.EXTENDED_REPLY).writeShort(c.flags()).writeShort(c.type()).writeLong(c.cookie())
                        .writeLong(c.requestOffset()).writeLong(len);
                } else {
                    h = ctx.alloc().buffer(NbdMagic.STRUCTURED_REPLY_SIZE);
                    h.writeInt(NbdMagic.STRUCTURED_REPLY).writeShort(c.flags()).writeShort(c.type()).writeLong(c.cookie()).writeInt(len);
                }
                out.add(h);
                if (len > 0) out.add(c.payload().retain());
            }
        }
    }
}
