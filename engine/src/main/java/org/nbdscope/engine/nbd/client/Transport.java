package org.nbdscope.engine.nbd.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.source.SourceException;

/**
 * The client's event loops, shared by all connections (daemon threads, so they never keep a JVM alive):
 * epoll when the native transport loads (TCP and Unix sockets), else NIO (TCP only).
 */
final class Transport {
    private Transport() {}

    private static final int THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

    private static final class Holder {
        static final boolean EPOLL = Epoll.isAvailable();
        static final EventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(THREADS,
            new DefaultThreadFactory("nbd-client", true), factory());

        private static IoHandlerFactory factory() {
            return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        }
    }

    /**
     * Stops the shared event loops if they were ever started, waiting at most {@code timeoutMillis}.
     * A process about to exit calls this: the JVM otherwise waits for the loops' native waits to return.
     */
    static void shutdown(long timeoutMillis) {
        if (!started) return;
        Holder.GROUP.shutdownGracefully(0, timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS)
            .awaitUninterruptibly(timeoutMillis + 50);
    }

    private static volatile boolean started;

    /** A bootstrap for {@code uri}'s transport, not yet connected. */
    static Bootstrap bootstrap(NbdUri uri, int connectTimeoutMillis) {
        started = true;
        Class<? extends Channel> type;
        if (uri.unix()) {
            if (!Holder.EPOLL) {
                throw new SourceException("Unix sockets need Netty's epoll transport, which is not available here: "
                    + Epoll.unavailabilityCause());
            }
            type = EpollDomainSocketChannel.class;
        } else {
            type = Holder.EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
        }
        // addresses come resolved (HostLookup), so Netty's resolver, which would block the loop, never runs
        Bootstrap b = new Bootstrap().group(Holder.GROUP).channel(type).resolver(NoopAddressResolverGroup.INSTANCE)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
        if (!uri.unix()) b.option(ChannelOption.TCP_NODELAY, true);
        return b;
    }

    /** "host:port" or the socket path, for messages. */
    static String describe(NbdUri uri) {
        return uri.unix() ? uri.socketPath() : (uri.host().contains(":") ? "[" + uri.host() + "]" : uri.host()) + ":" + uri.port();
    }
}
