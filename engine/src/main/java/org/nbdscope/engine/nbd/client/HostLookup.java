package org.nbdscope.engine.nbd.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.NetUtil;
import org.nbdscope.engine.nbd.NbdUri;

/**
 * Where to connect for an NBD URI, found without ever blocking an event loop: a Unix socket path or an
 * IP literal at once, a host name by the system resolver on a thread of its own, bounded by the connect
 * timeout. (Netty's default resolver looks host names up on the event loop, where a slow DNS server stalls
 * every other connection of that loop, and a lookup slower than the connect timeout would be reported as
 * a greeting that never came.)
 */
final class HostLookup {
    private HostLookup() {}

    /** A blocking name lookup; tests stand in for the system's. */
    @FunctionalInterface
    interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    static final Resolver SYSTEM = InetAddress::getByName;

    /** The lookup of a host name that took longer than the connect timeout. */
    static final class LookupTimeoutException extends Exception {
        LookupTimeoutException(String message) { super(message, null, false, false); }
    }

    static CompletableFuture<SocketAddress> address(NbdUri uri, Duration timeout) {
        return address(uri, timeout, SYSTEM);
    }

    /**
     * The address of {@code uri}; a host name's lookup fails with the resolver's
     * {@link UnknownHostException}, or with a {@link LookupTimeoutException} after {@code timeout}.
     */
    static CompletableFuture<SocketAddress> address(NbdUri uri, Duration timeout, Resolver resolver) {
        if (uri.unix()) return CompletableFuture.completedFuture(new DomainSocketAddress(uri.socketPath()));
        String host = uri.host();
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal != null) {
            try {
                return CompletableFuture.completedFuture(new InetSocketAddress(InetAddress.getByAddress(host, literal), uri.port()));
            } catch (UnknownHostException e) {
                return CompletableFuture.failedFuture(e);   // not for 4- or 16-byte addresses
            }
        }
        CompletableFuture<SocketAddress> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().name("nbd-host-lookup").start(() -> {
            try {
                f.complete(new InetSocketAddress(resolver.resolve(host), uri.port()));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f.completeOnTimeout(null, timeout.toMillis(), TimeUnit.MILLISECONDS).thenCompose(a -> a != null
            ? CompletableFuture.completedFuture(a)
            : CompletableFuture.failedFuture(new LookupTimeoutException("cannot look up host name " + host + ": no answer within "
                + NetErrors.seconds(timeout) + " (connect timeout)")));
    }
}
