package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;

import io.netty.channel.unix.DomainSocketAddress;
import org.junit.jupiter.api.Test;
import org.nbdscope.engine.nbd.NbdUri;

/** Host names are looked up off the event loops and within the connect timeout; literals and sockets need no lookup. */
class HostLookupTest {
    private static final HostLookup.Resolver NEVER = h -> {
        throw new AssertionError("no lookup expected for " + h);
    };

    @Test
    void literalsAndSocketsAreAddressesAtOnce() throws Exception {
        SocketAddress v4 = HostLookup.address(NbdUri.parse("nbd://192.0.2.7:10810/x"), Duration.ofSeconds(1), NEVER).getNow(null);
        assertThat(v4).isEqualTo(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 10810));
        SocketAddress v6 = HostLookup.address(NbdUri.parse("nbd://[2001:db8::1]/x"), Duration.ofSeconds(1), NEVER).getNow(null);
        assertThat(v6).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::1"), 10809));
        SocketAddress unix = HostLookup.address(NbdUri.parse("nbd+unix:///x?socket=/tmp/s.sock"), Duration.ofSeconds(1), NEVER).getNow(null);
        assertThat(unix).isEqualTo(new DomainSocketAddress("/tmp/s.sock"));
    }

    @Test
    void aHostNameIsLookedUpOnAThreadOfItsOwn() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> thread = new CompletableFuture<>();
        HostLookup.Resolver slow = h -> {
            thread.complete(Thread.currentThread().getName());
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new UnknownHostException(h);
            }
            return InetAddress.getByAddress(h, new byte[] {10, 0, 0, 9});
        };
        CompletableFuture<SocketAddress> f = HostLookup.address(NbdUri.parse("nbd://disks.example:10809/x"), Duration.ofSeconds(30), slow);
        assertThat(thread.get()).isEqualTo("nbd-host-lookup");
        assertThat(f).as("the caller never waits for the lookup").isNotDone();
        release.countDown();
        assertThat(((InetSocketAddress) f.get()).getAddress().getHostAddress()).isEqualTo("10.0.0.9");
    }

    @Test
    void aLookupSlowerThanTheConnectTimeoutSaysSo() {
        CountDownLatch never = new CountDownLatch(1);
        HostLookup.Resolver hung = h -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new UnknownHostException(h);
        };
        CompletableFuture<SocketAddress> f = HostLookup.address(NbdUri.parse("nbd://slow.example/x"), Duration.ofMillis(200), hung);
        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class).cause()
            .isInstanceOf(HostLookup.LookupTimeoutException.class)
            .hasMessage("cannot look up host name slow.example: no answer within 0.2 s (connect timeout)");
    }

    @Test
    void anUnknownHostFailsWithTheResolversException() {
        HostLookup.Resolver none = h -> {
            throw new UnknownHostException(h + ": Name or service not known");
        };
        CompletableFuture<SocketAddress> f = HostLookup.address(NbdUri.parse("nbd://nosuchhost.invalid/x"), Duration.ofSeconds(5), none);
        assertThatThrownBy(f::join).cause().isInstanceOf(UnknownHostException.class);
    }
}
