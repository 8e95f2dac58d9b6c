package org.nbdscope.engine.nbd.client;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;

/**
 * Hands each framed {@link Reply} to its request. The three error scopes: a reply that breaks the rules
 * for its command fails only that command (in {@link Pending}); a framing error from {@link ReplyDecoder}
 * closes the connection; a dead connection fails every request in flight.
 */
final class Dispatcher extends ChannelInboundHandlerAdapter {
    private final NbdConnection connection;

    Dispatcher(NbdConnection connection) { this.connection = connection; }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Reply r)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        connection.onReply(r);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        connection.die(c);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.die(null);
        ctx.fireChannelInactive();
    }
}
