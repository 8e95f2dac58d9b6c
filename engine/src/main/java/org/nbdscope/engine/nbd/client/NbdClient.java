package org.nbdscope.engine.nbd.client;

import java.util.ArrayList;
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

    /** {@link ExportDetails#error} of exports a server without {@code NBD_OPT_INFO} could not describe at first. */
    static final String INFO_UNSUPPORTED = "the server does not support NBD_OPT_INFO";

    /**
     * Every export with its details, without entering transmission: {@code NBD_OPT_LIST}, then
     * {@code NBD_OPT_INFO} and {@code NBD_OPT_LIST_META_CONTEXT} for each export on the same connection,
     * then {@code NBD_OPT_ABORT}. A size of 0 from {@code NBD_OPT_INFO} (nbd-server 3.24 reports 0 for
     * every export there) is confirmed afterwards by {@code NBD_OPT_GO} on a fresh connection per export,
     * one at a time, after the listing connection is closed (a server may serve one connection at a
     * time); see {@link ExportDetails} for how the outcome is recorded. Blocks until done or failed.
     */
    public static ExportListing listDetails(NbdUri uri, ClientOptions options) {
        ExportListing listing = await(start(uri, options, Handshake.Goal.DETAILS, (hs, channel) -> hs.listing));
        List<ExportDetails> exports = new ArrayList<>(listing.exports().size());
        for (ExportDetails d : listing.exports()) {
            if (INFO_UNSUPPORTED.equals(d.error())) {
                exports.add(describeWithGo(uri, options, d));
            } else if (d.ok() && d.size() == 0) {
                exports.add(confirmZeroSize(uri, options, d));
            } else {
                exports.add(d);
            }
        }
        return new ExportListing(listing.handshakeFlags(), listing.tls(), listing.headerMode(), exports);
    }

    /** Connects to one export with GO (no meta contexts) and disconnects: what it negotiated. */
    private static Negotiated go(NbdUri uri, ClientOptions options, String export) {
        try (NbdConnection c = connect(uri.withExportName(export), options.withMetaContexts(List.of()).withReadOnly(true))) {
            return c.negotiated();
        }
    }

    private static ExportDetails confirmZeroSize(NbdUri uri, ClientOptions options, ExportDetails d) {
        try {
            long size = go(uri, options, d.name()).size();
            return size == 0 ? d : d.withSize(size, "NBD_OPT_INFO reported 0; this is the size NBD_OPT_GO reports");
        } catch (SourceException e) {
            return d.withSize(0, "reported 0 by NBD_OPT_INFO and not confirmed: NBD_OPT_GO failed: " + e.getMessage());
        }
    }

    private static ExportDetails describeWithGo(NbdUri uri, ClientOptions options, ExportDetails d) {
        ExportEntry entry = new ExportEntry(d.name(), d.description());
        try {
            Negotiated n = go(uri, options, d.name());
            String desc = !d.description().isEmpty() ? d.description() : n.description() == null ? "" : n.description();
            return new ExportDetails(d.name(), n.exportName().equals(d.name()) ? null : n.exportName(), desc, n.size(),
                "from NBD_OPT_GO on a fresh connection (" + INFO_UNSUPPORTED + ")", n.transmissionFlags(), n.minimumBlockSize(),
                n.preferredBlockSize(), n.maximumPayload(), n.initState(), List.of(), false, null);
        } catch (SourceException e) {
            return ExportDetails.failed(entry, INFO_UNSUPPORTED + ", and NBD_OPT_GO failed: " + e.getMessage());
        }
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
        HostLookup.address(uri, options.connectTimeout()).whenComplete((address, err) -> {
            if (err != null) {
                Throwable e = unwrap(err);
                result.completeExceptionally(new SourceException(e instanceof HostLookup.LookupTimeoutException t ? t.getMessage()
                    : NetErrors.connectFailure(uri, e, options.connectTimeout()), e));
            } else {
                connect(b, address, uri, options, hs, finish, result);
            }
        });
        return result;
    }

    private static <T> void connect(Bootstrap b, java.net.SocketAddress address, NbdUri uri, ClientOptions options, Handshake hs,
                                    Finish<T> finish, CompletableFuture<T> result) {
        ChannelFuture cf = b.connect(address);
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
                hs.fail(new SourceException(NetErrors.connectFailure(uri, f.cause(), options.connectTimeout()), f.cause()));
            }
        });
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
