package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.server.ConnectionRecord;
import org.nbdscope.engine.nbd.server.NbdServer;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.proto.NbdInfo;
import org.nbdscope.engine.proto.TransmissionFlags;
import org.nbdscope.engine.testing.Peer;

/**
 * {@link NbdClient#listDetails} against real servers: our own, nbd-server 3.24 (which reports size 0 to
 * NBD_OPT_INFO), nbdkit 1.32 and qemu-nbd 10.
 */
class ExportListingInteropTest {
    @TempDir Path dir;
    private Peer nbdServer;

    /** nbd-server -d ignores SIGTERM once its client is gone; stop it by PID with SIGKILL. */
    @AfterEach
    void stop() {
        if (nbdServer == null) return;
        ProcessHandle.of(nbdServer.pid()).ifPresent(ProcessHandle::destroyForcibly);
        nbdServer.close();
    }

    private Path image(String name, long size) throws Exception {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }

    /**
     * nbd-server 3.24 in the foreground ({@code -d}) on a Unix socket. In that mode it keeps serving
     * connections that end in the handshake (a listing), but exits after the first that enters transmission.
     */
    private Peer nbdServer(String exports) throws Exception {
        Peer.require("nbd-server");
        Path template = dir.resolve("nbd-server.conf.in");
        Files.writeString(template, "[generic]\n    unixsock = @SOCKET@\n    allowlist = true\n" + exports);
        Path cfg = dir.resolve("nbd-server.conf");
        return nbdServer = Peer.start(dir, true, "sh", "-c", "sed 's|@SOCKET@|{socket}|' '" + template + "' > '" + cfg
            + "' && exec nbd-server -C '" + cfg + "' -d");
    }

    static ExportListing list(String uri) {
        return NbdClient.listDetails(NbdUri.parse(uri), ClientOptions.defaults());
    }

    @Test
    void ownServerAnswersInfoAndTheListingNeverEntersTransmission() throws Exception {
        try (NbdServer server = NbdServer.builder().tcp(InetAddress.getLoopbackAddress(), 0)
                 .export("big", new MemoryBackend(1L << 40), "a sparse terabyte", false)
                 .export("small", new MemoryBackend(8L << 20), "", true)
                 .initState(true).start()) {
            ExportListing l = list(server.uri("whatever"));
            assertThat(l.headerMode()).isEqualTo(HeaderMode.EXTENDED);
            assertThat(l.allOk()).isTrue();
            assertThat(l.exports()).extracting(ExportDetails::name).containsExactly("big", "small");
            ExportDetails big = l.exports().get(0);
            assertThat(big.description()).isEqualTo("a sparse terabyte");
            assertThat(big.size()).isEqualTo(1L << 40);
            assertThat(big.sizeNote()).isNull();
            assertThat(big.readOnly()).isFalse();
            assertThat(big.blockSizeSent()).isTrue();
            assertThat(big.initState()).isEqualTo(NbdInfo.INIT_ZERO | NbdInfo.INIT_SPARSE);
            assertThat(big.contextsListed()).isTrue();
            assertThat(big.contexts()).contains("base:allocation");
            ExportDetails small = l.exports().get(1);
            assertThat(small.size()).isEqualTo(8L << 20);
            assertThat(small.readOnly()).isTrue();
            // one connection: LIST, INFO per export, ABORT, no GO and no transmission. The listing completes
            // once ABORT is sent, so wait for the server to see it and close.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (!(server.connections().size() == 1 && server.connections().getFirst().closed()) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(server.connections()).singleElement().satisfies((ConnectionRecord c) -> {
                assertThat(c.closed()).isTrue();
                assertThat(c.options()).contains("NBD_OPT_LIST", "NBD_OPT_INFO", "NBD_OPT_LIST_META_CONTEXT", "NBD_OPT_ABORT")
                    .doesNotContain("NBD_OPT_GO", "NBD_OPT_EXPORT_NAME");
                assertThat(c.options().stream().filter("NBD_OPT_INFO"::equals)).hasSize(2);
                assertThat(c.export()).isNull();
            });
        }
    }

    @Test
    void nbdServersZeroFromInfoIsConfirmedByGo() throws Exception {
        Path img = image("a.img", 16 << 20);
        Peer p = nbdServer("[disk]\n    exportname = " + img + "\n    readonly = true\n");
        ExportListing l = list(p.uri(""));
        assertThat(l.headerMode()).isEqualTo(HeaderMode.SIMPLE);
        ExportDetails d = l.exports().getFirst();
        assertThat(d.name()).isEqualTo("disk");
        assertThat(d.size()).isEqualTo(16 << 20);
        assertThat(d.sizeNote()).isEqualTo("NBD_OPT_INFO reported 0; this is the size NBD_OPT_GO reports");
        assertThat(d.readOnly()).isTrue();
        assertThat(d.has(TransmissionFlags.SEND_WRITE_ZEROES)).isTrue();
        assertThat(d.contextsListed()).as("no structured replies, so no meta contexts to ask for").isFalse();
    }

    @Test
    void aZeroThatCannotBeConfirmedIsMarkedAsInfosAnswer() throws Exception {
        Path a = image("a.img", 16 << 20);
        Path b = image("b.img", 4 << 20);
        // the GO that confirms the first export ends this foreground nbd-server: the second cannot be confirmed
        Peer p = nbdServer("[first]\n    exportname = " + a + "\n[second]\n    exportname = " + b + "\n");
        ExportListing l = list(p.uri(""));
        assertThat(l.exports()).extracting(ExportDetails::name).containsExactly("first", "second");
        assertThat(l.exports().get(0).size()).isEqualTo(16 << 20);
        ExportDetails second = l.exports().get(1);
        assertThat(second.ok()).isTrue();
        assertThat(second.size()).isZero();
        assertThat(second.sizeNote()).startsWith("reported 0 by NBD_OPT_INFO and not confirmed: NBD_OPT_GO failed: ");
    }

    @Test
    void nbdkitDescribesItsExport() throws Exception {
        Peer.require("nbdkit");
        try (Peer p = Peer.start(dir, false, "nbdkit", "-f", "-p", "{port}", "-i", "127.0.0.1", "--filter=nozero", "memory", "1G")) {
            ExportListing l = list(p.uri());
            assertThat(l.headerMode()).isEqualTo(HeaderMode.STRUCTURED);
            ExportDetails d = l.exports().getFirst();
            assertThat(d.name()).isEmpty();
            assertThat(d.size()).isEqualTo(1L << 30);
            assertThat(d.sizeNote()).isNull();
            assertThat(d.has(TransmissionFlags.SEND_WRITE_ZEROES)).as("the nozero filter").isFalse();
            assertThat(d.contexts()).containsExactly("base:allocation");
        }
    }

    @Test
    void qemuNbdDescribesItsExportWithBlockSizesAndContexts() throws Exception {
        Peer.require("qemu-nbd");
        Path raw = image("q.raw", 64L << 20);
        try (Peer p = Peer.start(dir, true, "qemu-nbd", "-f", "raw", "-r", "-t", "-k", "{socket}", "-x", "disk", "-D", "a test disk",
                raw.toString())) {
            ExportListing l = list(p.uri(""));
            assertThat(l.headerMode()).isEqualTo(HeaderMode.EXTENDED);
            ExportDetails d = l.exports().getFirst();
            assertThat(d.name()).isEqualTo("disk");
            assertThat(d.description()).isEqualTo("a test disk");
            assertThat(d.size()).isEqualTo(64L << 20);
            assertThat(d.readOnly()).isTrue();
            assertThat(d.minimumBlockSize()).isEqualTo(1);
            assertThat(d.preferredBlockSize()).isEqualTo(4096);
            assertThat(d.maximumPayload()).isEqualTo(32L << 20);
            assertThat(d.contexts()).as("qemu:allocation-depth only with -A").containsExactly("base:allocation");
        }
    }
}
