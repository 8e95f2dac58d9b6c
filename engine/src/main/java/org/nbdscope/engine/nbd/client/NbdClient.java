package org.nbdscope.engine.nbd.client;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.NettyLogging;
import org.nbdscope.engine.source.SourceException;
import org.nbdscope.engine.source.WireCounters;

/**
 * Opens NBD connections on Netty: TCP (IPv4, IPv6, host names) or Unix sockets, optionally TLS.
 * Every call is bounded by the connect and request timeouts of its {@link ClientOptions}.
 */
public final class NbdClient {
    private NbdClient() {}

    static {
        NettyLogging.install();
    }

    /** Connects, negotiates and enters the transmission phase; blocks until done or failed. */
    public static NbdConnection connect(NbdUri uri, ClientOptions options) {
        return await(connectAsync(uri, options));
    }

    public static CompletableFuture<NbdConnection> connectAsync(NbdUri uri, ClientOptions options) {
        return start(uri, options, Handshake.Goal.CONNECT, Handshake::connection);
    }

    /** The server's exports ({@code NBD_OPT_LIST}), names and descriptions; blocks until done or failed. */
    public static List<ExportEntry> list(NbdUri uri, ClientOptions options) {
        return await(listAsync(uri, options));
    }

    public static CompletableFuture<List<ExportEntry>> listAsync(NbdUri uri, ClientOptions options) {
        return start(uri, options, Handshake.Goal.LIST, (hs, channel) -> hs.exports);
    }

    private interface Finish<T> {
        CompletableFuture<T> apply(Handshake hs, Channel channel);
    }

    private static <T> CompletableFuture<T> start(NbdUri uri, ClientOptions options, Handshake.Goal goal, Finish<T> finish) {
        Handshake hs = new Handshake(uri, options, new WireCounters(), goal);
        CompletableFuture<T> result = new CompletableFuture<>();
        Bootstrap b;
        try {
            b = Transport.bootstrap(uri, (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()));
        } catch (SourceException e) {
            return CompletableFuture.failedFuture(e);
        }
        b.handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                hs.install(ch.pipeline());
            }
        });
        ChannelFuture cf = b.connect(Transport.address(uri));
        Channel channel = cf.channel();
        // attached before the handshake can finish, so it runs on the event loop at once
        finish.apply(hs, channel).whenComplete((v, e) -> {
            if (e != null) {
                channel.close();
                result.completeExceptionally(unwrap(e));
            } else {
                result.complete(v);
            }
        });
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                hs.fail(new SourceException("cannot connect to " + Transport.describe(uri) + ": " + Handshake.message(f.cause()), f.cause()));
            }
        });
        return result;
    }

    private static Throwable unwrap(Throwable e) {
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) e = e.getCause();
        return e;
    }

    /** Waits for a future that is bounded by timeouts, rethrowing its failure as a {@link SourceException}. */
    static <T> T await(CompletableFuture<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(false);
            throw new SourceException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = unwrap(e);
            if (c instanceof SourceException s) throw s;
            throw new SourceException(Handshake.message(c), c);
        }
    }


    /**
     * Stops the client's shared event loops (at most ~100 ms). Call once, just before the process exits;
     * no connection can be made afterwards.
     */
    public static void shutdown() {
        Transport.shutdown(100);
    }
}
