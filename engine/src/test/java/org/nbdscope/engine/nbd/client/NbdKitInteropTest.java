package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.TransmissionFlags;
import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.testing.Peer;

/** Our client against Debian's nbdkit 1.32 (structured replies, no extended headers), started per test. */
class NbdKitInteropTest {
    @TempDir Path dir;

    Peer nbdkit(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("nbdkit", "-f", "-p", "{port}", "-i", "127.0.0.1"));
        cmd.addAll(List.of(args));
        return Peer.start(dir, false, cmd.toArray(String[]::new));
    }

    static NbdConnection connect(String uri) {
        return NbdClient.connect(NbdUri.parse(uri), ClientOptions.defaults());
    }

    static Throwable cause(CompletableFuture<?> f) {
        try {
            f.join();
            throw new AssertionError("did not fail");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void memoryEveryCommand() throws Exception {
        try (Peer p = nbdkit("memory", "64M");
             NbdConnection c = connect(p.uri())) {
            Negotiated n = c.negotiated();
            assertThat(n.size()).isEqualTo(64L << 20);
            assertThat(n.headerMode()).as("nbdkit 1.32 answers EXTENDED_HEADERS with ERR_UNSUP").isEqualTo(HeaderMode.STRUCTURED);
            assertThat(n.finalOption()).isEqualTo(NbdOption.GO);
            assertThat(n.metaContexts()).containsOnlyKeys("base:allocation");
            assertThat(n.initState()).as("no released server sends the zero flag").isNull();
            assertThat(n.tls()).isFalse();
            assertThat(n.has(TransmissionFlags.SEND_WRITE_ZEROES)).isTrue();

            assertThat(c.read(0, 1 << 20).get()).containsOnly(0);
            byte[] data = new byte[3 << 20];
            for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + 7);
            c.write(8 << 20, data, NbdCommand.FLAG_FUA).get();
            c.flush().get();
            c.cache(0, 1 << 20).get();
            assertThat(c.read(8 << 20, data.length).get()).isEqualTo(data);

            ExtentBatch b = c.blockStatus("base:allocation", 0, 64L << 20, false).get();
            assertThat(b.offset()).isZero();
            assertThat(b.end()).isLessThanOrEqualTo(64L << 20);
            assertThat(b.status()[0]).isEqualTo(3);

            c.writeZeroes(8 << 20, 1 << 20, n.has(TransmissionFlags.SEND_FAST_ZERO) ? NbdCommand.FLAG_FAST_ZERO : 0).get();
            c.trim(9 << 20, 1 << 20, 0).get();
            assertThat(c.read(8 << 20, 2 << 20).get()).containsOnly(0);
            assertThat(c.read(10 << 20, 4096).get()).isEqualTo(java.util.Arrays.copyOfRange(data, 2 << 20, (2 << 20) + 4096));

            assertThat(MapCheck.ours(c)).isEqualTo(MapCheck.nbdinfo(p.uri()));
            assertThat(c.stats().requests(NbdCommand.WRITE_ZEROES)).isEqualTo(1);
            assertThat(c.stats().requests(NbdCommand.TRIM)).isEqualTo(1);
            assertThat(c.stats().bytesSent()).isGreaterThan(data.length);
            assertThat(c.stats().bytesReceived()).isGreaterThan(data.length + (1 << 20));
        }
    }

    @Test
    void sparseRandomMapEqualsNbdinfoAcrossManyRequests() throws Exception {
        try (Peer p = nbdkit("sparse-random", "64G", "seed=42");
             NbdConnection c = connect(p.uri())) {
            assertThat(c.maxStatusLength()).isLessThan(1L << 32);
            ScanResult r = ExtentScanner.scan(c, ScanOptions.defaults());
            assertThat(r.complete()).isTrue();
            assertThat(r.cost().requests(NbdCommand.BLOCK_STATUS)).isGreaterThanOrEqualTo(16);
            assertThat(MapCheck.ours(c)).isEqualTo(MapCheck.nbdinfo(p.uri()));
        }
    }

    @Test
    void dataPluginReadsTheBytesItWasGiven() throws Exception {
        try (Peer p = nbdkit("data", "data=1 2 3 @0x10000 0x41 0x42 @0x100000 9", "size=2M");
             NbdConnection c = connect(p.uri())) {
            assertThat(c.size()).isEqualTo(2 << 20);
            byte[] head = c.read(0, 4).get();
            assertThat(head).containsExactly(1, 2, 3, 0);
            assertThat(c.read(0x10000, 2).get()).containsExactly('A', 'B');
            assertThat(c.read(0x100000, 1).get()).containsExactly(9);
            assertThat(MapCheck.ours(c)).isEqualTo(MapCheck.nbdinfo(p.uri()));
        }
    }

    @Test
    void nullPlugin() throws Exception {
        try (Peer p = nbdkit("null", "10G");
             NbdConnection c = connect(p.uri())) {
            assertThat(c.read(5L << 30, 65536).get()).containsOnly(0);
            assertThat(MapCheck.ours(c)).isEqualTo(MapCheck.nbdinfo(p.uri()));
        }
    }

    @Test
    void unixSocketAndList() throws Exception {
        try (Peer p = Peer.start(dir, true, "nbdkit", "-f", "-U", "{socket}", "--filter=exportname", "memory", "1M",
            "exportname=alpha", "exportname=beta", "exportname-list=explicit", "exportdesc=fixed:scratch disk")) {
            List<ExportEntry> exports = NbdClient.list(NbdUri.parse(p.uri()), ClientOptions.defaults());
            assertThat(exports).containsExactly(new ExportEntry("alpha", "scratch disk"), new ExportEntry("beta", "scratch disk"));
            try (NbdConnection c = connect(p.uri("beta"))) {
                assertThat(c.negotiated().description()).isEqualTo("scratch disk");
                assertThat(c.details().get("Transport")).startsWith("Unix socket ");
                assertThat(c.read(0, 512).get()).hasSize(512);
            }
        }
    }

    @Test
    void blockSizeConstraintsAreObeyed() throws Exception {
        try (Peer p = nbdkit("--filter=blocksize-policy", "memory", "1M", "blocksize-minimum=4096", "blocksize-preferred=65536",
            "blocksize-maximum=65536", "blocksize-error-policy=error");
             NbdConnection c = connect(p.uri())) {
            Negotiated n = c.negotiated();
            assertThat(n.minimumBlockSize()).isEqualTo(4096);
            assertThat(n.preferredBlockSize()).isEqualTo(65536);
            assertThat(n.maximumPayload()).isEqualTo(65536);
            byte[] data = new byte[256 << 10];
            new java.util.Random(3).nextBytes(data);
            c.write(0, data, 0).get();
            assertThat(c.read(0, data.length).get()).isEqualTo(data);
            assertThat(c.stats().requests(NbdCommand.WRITE)).isEqualTo(4);
            assertThat(c.stats().requests(NbdCommand.READ)).isEqualTo(4);
            assertThat(cause(c.read(512, 4096))).hasMessageContaining("minimum block size 4096");
        }
    }

    @Test
    void errorFilterFailsOnlyTheCommand() throws Exception {
        try (Peer p = nbdkit("--filter=error", "memory", "1M", "error-pread=EIO", "error-pread-rate=100%",
            "error-extents=ENOSPC", "error-extents-rate=100%");
             NbdConnection c = connect(p.uri())) {
            Throwable t = cause(c.read(4096, 4096));
            assertThat(t).isInstanceOf(NbdCommandException.class)
                .hasMessageStartingWith("NBD_CMD_READ at offset 4096 length 4096 failed: NBD_EIO (5, Input/output error)");
            assertThat(((NbdCommandException) t).error()).isEqualTo(5);
            c.write(0, new byte[4096], 0).get();
            ScanResult r = ExtentScanner.scan(c, ScanOptions.defaults());
            assertThat(r.outcome()).isEqualTo(ScanResult.Outcome.FAILED);
            assertThat(r.error()).contains("NBD_CMD_BLOCK_STATUS").contains("NBD_ENOSPC");
            assertThat(c.stats().serverErrors()).isEqualTo(2);
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void delayFilterAndRequestTimeout() throws Exception {
        try (Peer p = nbdkit("--filter=delay", "memory", "1M", "delay-read=3")) {
            ClientOptions o = ClientOptions.defaults().withRequestTimeout(Duration.ofMillis(500));
            try (NbdConnection c = NbdClient.connect(NbdUri.parse(p.uri()), o)) {
                assertThat(cause(c.read(0, 4096))).hasMessageContaining("no reply within 0.5 s");
                // other commands still work while the late reply is pending
                c.flush().get();
                c.write(0, new byte[512], 0).get();
            }
        }
    }

    @Test
    void unknownExportAndRefusedConnection() throws Exception {
        try (Peer p = nbdkit("--filter=exportname", "memory", "1M", "exportname=alpha", "exportname-strict=true")) {
            assertThatThrownBy(() -> connect(p.uri("nope"))).isInstanceOf(NbdOptionException.class)
                .hasMessageContaining("export 'nope'");
        }
        int port = Peer.freePort();
        assertThatThrownBy(() -> connect("nbd://127.0.0.1:" + port + "/")).hasMessageContaining("cannot connect to 127.0.0.1:" + port);
    }

    @Test
    void ipv6LiteralAndHostName() throws Exception {
        try (Peer p = nbdkit("memory", "1M")) {
            try (NbdConnection c = connect("nbd://localhost:" + p.port + "/")) {
                assertThat(c.read(0, 512).get()).hasSize(512);
            }
            Loopback6Forwarder v6;
            try {
                v6 = new Loopback6Forwarder(p.port);
            } catch (java.io.IOException e) {
                org.junit.jupiter.api.Assumptions.abort("no IPv6 loopback here: " + e.getMessage());
                return;
            }
            try (v6; NbdConnection c = connect("nbd://[::1]:" + v6.port() + "/")) {
                assertThat(c.details().get("Transport")).isEqualTo("TCP [::1]:" + v6.port());
                c.write(0, new byte[] {1, 2, 3}, 0).get();
                assertThat(c.read(0, 3).get()).containsExactly(1, 2, 3);
            }
        }
    }

    @Test
    void noExtentsFilterStillMapsLikeNbdinfo() throws Exception {
        try (Peer p = nbdkit("--filter=noextents", "memory", "8M");
             NbdConnection c = connect(p.uri())) {
            assertThat(MapCheck.ours(c)).isEqualTo(MapCheck.nbdinfo(p.uri()));
        }
    }
}
