package org.nbdscope.engine.nbd.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.nbdscope.engine.source.WireCounters;

/** Counts the bytes on the wire (below TLS), sent and received, into a connection's {@link WireCounters}. */
final class WireCountingHandler extends ChannelDuplexHandler {
    private final WireCounters counters;

    WireCountingHandler(WireCounters counters) { this.counters = counters; }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        counters.received(size(msg));
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        counters.sent(size(msg));
        ctx.write(msg, promise);
    }

    private static long size(Object msg) {
        if (msg instanceof ByteBuf b) return b.readableBytes();
        if (msg instanceof ByteBufHolder h) return h.content().readableBytes();
        return 0;
    }
}
