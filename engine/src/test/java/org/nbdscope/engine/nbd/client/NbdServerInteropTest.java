package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.source.SourceException;
import org.nbdscope.engine.testing.Peer;

/**
 * Our client against nbd-server 3.24: no structured replies, so no block status at all; it reports size 0
 * to NBD_OPT_INFO and the real size with GO. In the foreground ({@code -d}) it serves one client and
 * exits, so each test starts its own, on a Unix socket (a TCP readiness probe would use up that client).
 */
class NbdServerInteropTest {
    @TempDir Path dir;
    Path image;

    @BeforeEach
    void image() throws Exception {
        image = dir.resolve("a.img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(16 << 20);
            f.seek(8192);
            f.write("hello".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private Peer server;

    /** nbd-server -d ignores SIGTERM once its client is gone; stop it by PID with SIGKILL. */
    @AfterEach
    void stop() {
        if (server == null) return;
        ProcessHandle.of(server.pid()).ifPresent(ProcessHandle::destroyForcibly);
        server.close();
    }

    Peer nbdServer() throws Exception {
        Peer.require("nbd-server");
        Path template = dir.resolve("nbd-server.conf.in");
        Files.writeString(template, """
            [generic]
                unixsock = @SOCKET@
                allowlist = true
            [disk1]
                exportname = %s
            [disk2]
                exportname = %s
                readonly = true
            """.formatted(image, image));
        Path cfg = dir.resolve("nbd-server.conf");
        // Peer picks the socket name; the shell puts it into the config and then becomes nbd-server (same PID)
        return server = Peer.start(dir, true, "sh", "-c", "sed 's|@SOCKET@|{socket}|' '" + template + "' > '" + cfg
            + "' && exec nbd-server -C '" + cfg + "' -d");
    }

    @Test
    void connectGetsTheRealSizeFromGoAndReads() throws Exception {
        Peer p = nbdServer();
        try (NbdConnection c = NbdClient.connect(NbdUri.parse(p.uri("disk1")), ClientOptions.defaults())) {
            Negotiated n = c.negotiated();
            assertThat(n.size()).isEqualTo(16 << 20);
            assertThat(n.finalOption()).isEqualTo(NbdOption.GO);
            assertThat(n.headerMode()).isEqualTo(HeaderMode.SIMPLE);
            assertThat(n.metaContexts()).isEmpty();
            assertThat(n.initState()).isNull();
            assertThat(new String(c.read(8192, 5).get(), StandardCharsets.US_ASCII)).isEqualTo("hello");
            c.write(0, "abc".getBytes(StandardCharsets.US_ASCII), 0).get();
            assertThat(c.read(0, 4).get()).containsExactly('a', 'b', 'c', 0);
        }
    }

    @Test
    void readOnlyExport() throws Exception {
        Peer p = nbdServer();
        try (NbdConnection c = NbdClient.connect(NbdUri.parse(p.uri("disk2")), ClientOptions.defaults())) {
            assertThat(c.readOnly()).isTrue();
            assertThat(NbdHandshakeTest.failure(c.write(0, new byte[1], 0))).hasMessageContaining("read-only");
        }
    }

    @Test
    void list() throws Exception {
        Peer p = nbdServer();
        assertThat(NbdClient.list(NbdUri.parse(p.uri("")), ClientOptions.defaults()))
            .extracting(ExportEntry::name).containsExactly("disk1", "disk2");
    }

    @Test
    void mapFailsClearlyInsteadOfMakingUpExtents() throws Exception {
        Peer p = nbdServer();
        try (NbdConnection c = NbdClient.connect(NbdUri.parse(p.uri("disk1")), ClientOptions.defaults())) {
            assertThat(c.contexts()).isEmpty();
            try {
                c.blockStatus("base:allocation", 0, 4096, false).join();
                throw new AssertionError("block status succeeded");
            } catch (CompletionException e) {
                assertThat(e.getCause()).isInstanceOf(SourceException.class)
                    .hasMessageContaining("offers no base:allocation meta context");
            }
            ScanResult r = ExtentScanner.scan(c, ScanOptions.defaults());
            assertThat(r.outcome()).isEqualTo(ScanResult.Outcome.FAILED);
            assertThat(r.error()).contains("offers no base:allocation");
            assertThat(r.map().count()).isEqualTo(1);
            assertThat(r.map().status(0)).isEqualTo(ExtentMap.UNKNOWN);
        }
    }
}
