package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.source.SourceException;

/**
 * Connection failures read like a storage engineer expects, never in the transport's words
 * ({@code finishConnect(..) failed with error(-111)}). A connect that times out cannot be produced
 * deterministically on loopback (a full listen backlog only delays the SYN), so its wording is checked
 * on the mapping and the timeout that follows a connect (no greeting) on a real socket.
 */
class ConnectErrorsTest {
    @TempDir Path dir;

    static SourceException connectFails(String uri, ClientOptions options) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> NbdClient.connect(NbdUri.parse(uri), options));
        assertThat(t).isInstanceOf(SourceException.class);
        assertThat(t.getMessage()).doesNotContain("(..)", "error(-", "Exception", "/127.0.0.1");
        return (SourceException) t;
    }

    static SourceException connectFails(String uri) { return connectFails(uri, ClientOptions.defaults()); }

    /** A loopback port nobody listens on: bound, then closed. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void refusedTcp() throws Exception {
        int port = closedPort();
        assertThat(connectFails("nbd://127.0.0.1:" + port)).hasMessage("cannot connect to 127.0.0.1:" + port + ": connection refused");
    }

    @Test
    void refusedTcpOnIpv6() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
            port = s.getLocalPort();
        } catch (IOException noIpv6) {
            org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + noIpv6.getMessage());
            return;
        }
        assertThat(connectFails("nbd://[::1]:" + port)).hasMessage("cannot connect to [::1]:" + port + ": connection refused");
    }

    @Test
    void listAndConnectSayTheSame() throws Exception {
        int port = closedPort();
        assertThatThrownBy(() -> NbdClient.list(NbdUri.parse("nbd://127.0.0.1:" + port), ClientOptions.defaults()))
            .isInstanceOf(SourceException.class).hasMessage("cannot connect to 127.0.0.1:" + port + ": connection refused");
    }

    @Test
    void missingUnixSocket() {
        Path sock = dir.resolve("nbd.sock");
        assertThat(connectFails("nbd+unix:///?socket=" + sock))
            .hasMessage("no such socket " + sock + ": the file does not exist (is the server running?)");
    }

    @Test
    void unixSocketPathThatIsARegularFile() throws Exception {
        Path file = Files.writeString(dir.resolve("disk.img"), "not a socket");
        assertThat(connectFails("nbd+unix:///?socket=" + file)).hasMessage("cannot connect to " + file + ": it is a regular file, not a socket");
    }

    @Test
    void unixSocketNobodyListensOn() throws Exception {
        Path sock = dir.resolve("stale.sock");
        try (ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.bind(UnixDomainSocketAddress.of(sock));
        }
        assertThat(sock).exists();
        assertThat(connectFails("nbd+unix:///?socket=" + sock))
            .hasMessage("cannot connect to " + sock + ": connection refused (the socket exists but no server is listening on it)");
    }

    @Test
    void unresolvableHost() {
        // .invalid never resolves (RFC 6761); without any DNS the resolver says so differently
        assertThat(connectFails("nbd://nosuchhost.invalid").getMessage()).isIn(
            "host name not found: nosuchhost.invalid",
            "cannot look up host name nosuchhost.invalid: temporary failure in name resolution (is a DNS server reachable?)");
    }

    @Test
    void connectTimeoutNamesTheTimeout() {
        NbdUri uri = NbdUri.parse("nbd://192.0.2.7:10809");
        assertThat(NetErrors.connectFailure(uri, new ConnectTimeoutException("connection timed out after 700 ms: /192.0.2.7:10809"), Duration.ofMillis(700)))
            .isEqualTo("cannot connect to 192.0.2.7:10809: no answer within 0.7 s (connect timeout)");
        assertThat(NetErrors.connectFailure(uri, new ConnectTimeoutException("x"), Duration.ofSeconds(10)))
            .isEqualTo("cannot connect to 192.0.2.7:10809: no answer within 10 s (connect timeout)");
    }

    @Test
    void aServerThatAcceptsButNeverGreetsTimesOutWithTheValue() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (Socket c = s.accept()) {
                    c.getInputStream().read();
                } catch (IOException ignored) {
                    // the client gave up
                }
            });
            assertThat(connectFails("nbd://127.0.0.1:" + s.getLocalPort(), ClientOptions.defaults().withConnectTimeout(Duration.ofMillis(300))))
                .hasMessage("handshake with 127.0.0.1:" + s.getLocalPort() + " timed out after 0.3 s waiting for the server's greeting (connect timeout)");
            acceptor.join();
        }
    }

    @Test
    void nativeSocketErrorsLoseTheTransportsWording() {
        assertThat(NetErrors.text(new Errors.NativeIoException("readAddress", -104)))
            .isEqualTo("connection reset by peer");
        assertThat(NetErrors.text(new java.net.ConnectException("finishConnect(..) failed with error(-113): No route to host")))
            .isEqualTo("no route to host");
        assertThat(NetErrors.text(new IOException("Broken pipe"))).isEqualTo("broken pipe");
        assertThat(NetErrors.text(new IllegalStateException("NBD_REPLY_TYPE_ERROR length 3 is below 6")))
            .isEqualTo("NBD_REPLY_TYPE_ERROR length 3 is below 6");
    }
}
