package org.nbdscope.engine.nbd.server;

import java.io.IOException;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of every connection: closes it on a protocol violation or any other error (noting
 * why), on the idle timeout (unless a backend call is running), and tells the session about
 * writability changes and the end of the connection. Nothing reaches Netty's "unhandled" warnings.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {
    private final Session session;
    private final long idleSeconds;

    ConnectionGuard(Session session, long idleSeconds) {
        this.session = session;
        this.idleSeconds = idleSeconds;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        String reason = c instanceof ProtocolViolation ? c.getMessage()
            : c instanceof IOException ? "connection error: " + c.getMessage()
            : "server error: " + c;
        if (!(c instanceof ProtocolViolation) && !(c instanceof IOException)) {
            ServerContext.LOG.log(System.Logger.Level.WARNING, "connection " + session.record.id() + ": " + reason, c);
        }
        session.record.closeReason(reason);
        ServerContext.LOG.log(System.Logger.Level.DEBUG, () -> "connection " + session.record.id() + " closed: " + reason);
        ctx.close();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent) {
            if (!session.busy()) {
                session.record.closeReason("idle for " + idleSeconds + " s");
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        session.writabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        session.record.markClosed();
        session.closed();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }
}
