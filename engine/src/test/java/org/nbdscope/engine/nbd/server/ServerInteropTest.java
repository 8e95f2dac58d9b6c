package org.nbdscope.engine.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.demo.DemoDisk;
import org.nbdscope.engine.demo.DemoExtent;
import org.nbdscope.engine.nbd.server.backend.Backend;
import org.nbdscope.engine.nbd.server.backend.DemoBackend;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.testing.Peer;
import org.nbdscope.engine.testing.TestCertificates;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real clients against our server: Debian's nbdinfo (libnbd 1.14, structured replies, 32-bit block
 * status) and qemu 10's qemu-img and qemu-io (extended headers). What they see must equal the backend's
 * known layout.
 */
class ServerInteropTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    @TempDir Path dir;
    private NbdServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private NbdServer serve(String name, Backend b, boolean unix) throws Exception {
        NbdServer.Builder builder = NbdServer.builder().export(name, b, b.description(), false);
        if (unix) builder.unixSocket(dir.resolve("s.sock"));
        server = builder.start();
        return server;
    }

    /** The layout a backend reports, merged, as {offset, length, status} triples. */
    private static List<long[]> layout(Backend b) throws Exception {
        List<long[]> out = new ArrayList<>();
        long[] pos = {0};
        b.extents(0, (len, st) -> {
            add(out, pos[0], len, st);
            pos[0] += len;
            return true;
        });
        return out;
    }

    private static List<long[]> demoLayout() {
        List<long[]> out = new ArrayList<>();
        for (DemoExtent e : DemoDisk.standard().extents()) out.add(new long[] {e.offset(), e.length(), e.status()});
        return out;
    }

    private static void add(List<long[]> out, long off, long len, long status) {
        if (!out.isEmpty() && out.getLast()[2] == status && out.getLast()[0] + out.getLast()[1] == off) {
            out.getLast()[1] += len;
        } else {
            out.add(new long[] {off, len, status});
        }
    }

    /** Parses {@code nbdinfo --map} lines ("offset length type description") and merges neighbours. */
    private static List<long[]> parseNbdinfoMap(String text) {
        List<long[]> out = new ArrayList<>();
        for (String line : text.strip().split("\n")) {
            String[] f = line.strip().split("\\s+");
            long type = Long.parseLong(f[2]);
            assertThat(f[3]).isEqualTo(BlockStatusFlags.describeBaseAllocation(type));
            add(out, Long.parseLong(f[0]), Long.parseLong(f[1]), type);
        }
        return out;
    }

    @Test
    void nbdinfoMapOfTheDemoEqualsItsLayoutIn32BitRequests() throws Exception {
        Peer.require("nbdinfo");
        serve("demo", new DemoBackend(), false);
        String map = Peer.run(TIMEOUT, "nbdinfo", "--map", server.uri("demo"));
        assertThat(parseNbdinfoMap(map)).usingRecursiveFieldByFieldElementComparator().isEqualTo(demoLayout());
        ConnectionRecord r = server.connections().getLast();
        assertThat(r.headerMode()).isEqualTo(HeaderMode.STRUCTURED);
        assertThat(r.requests(NbdCommand.BLOCK_STATUS)).as("a 32-bit client walks 1 TiB in 4 GiB steps").isBetween(256L, 300L);
    }

    @Test
    void nbdinfoJsonMapAndInfoOverAUnixSocket() throws Exception {
        Peer.require("nbdinfo");
        MemoryBackend m = new MemoryBackend(64L << 30);
        ByteBuffer data = ByteBuffer.allocate(3 << 20);
        data.put(0, (byte) 1);
        m.write(1L << 30, data);
        m.write(10L << 30, ByteBuffer.allocate(1 << 20)); // written zeroes: allocated, reads as zero
        m.zero(20L << 30, 5L << 30, false, true); // NO_HOLE zeroing: allocated zero
        serve("scratch", m, true);
        JsonNode map = JSON.readTree(Peer.run(TIMEOUT, "nbdinfo", "--map", "--json", server.uri("scratch")));
        List<long[]> seen = new ArrayList<>();
        for (JsonNode e : map) {
            assertThat(e.get("description").asString()).isEqualTo(BlockStatusFlags.describeBaseAllocation(e.get("type").asLong()));
            add(seen, e.get("offset").asLong(), e.get("length").asLong(), e.get("type").asLong());
        }
        assertThat(seen).usingRecursiveFieldByFieldElementComparator().isEqualTo(layout(m));
        // the 3 MiB write is one data block followed by written zero blocks (allocated, reads as zero)
        assertThat(seen).extracting(e -> e[2]).containsExactly(3L, 0L, 2L, 3L, 2L, 3L, 2L, 3L);

        JsonNode info = JSON.readTree(Peer.run(TIMEOUT, "nbdinfo", "--json", server.uri("scratch")));
        assertThat(info.get("structured").asBoolean()).isTrue();
        JsonNode export = info.get("exports").get(0);
        assertThat(export.get("export-size").asLong()).isEqualTo(64L << 30);
        assertThat(export.get("can_fast_zero").asBoolean()).isTrue();
        assertThat(export.get("can_zero").asBoolean()).isTrue();
        assertThat(export.get("contexts").get(0).asString()).isEqualTo("base:allocation");
    }

    @Test
    void nbdinfoListShowsEveryExport() throws Exception {
        Peer.require("nbdinfo");
        server = NbdServer.builder()
            .export("demo", new DemoBackend(), "the demo disk", false)
            .export("scratch", new MemoryBackend(1 << 30), "scratch space", false)
            .start();
        JsonNode list = JSON.readTree(Peer.run(TIMEOUT, "nbdinfo", "--list", "--json", server.uri("demo")));
        List<String> names = new ArrayList<>();
        for (JsonNode e : list.get("exports")) names.add(e.get("export-name").asString() + ": " + e.get("description").asString());
        assertThat(names).containsExactly("demo: the demo disk", "scratch: scratch space");
    }

    @Test
    void qemuImgMapOfTheDemoEqualsItsLayoutWithExtendedHeaders() throws Exception {
        Peer.require("qemu-img");
        serve("demo", new DemoBackend(), false);
        JsonNode map = JSON.readTree(Peer.run(TIMEOUT, "qemu-img", "map", "--output=json", server.uri("demo")));
        List<long[]> seen = new ArrayList<>();
        for (JsonNode e : map) {
            long status = (e.get("data").asBoolean() ? 0 : BlockStatusFlags.STATE_HOLE) | (e.get("zero").asBoolean() ? BlockStatusFlags.STATE_ZERO : 0);
            add(seen, e.get("start").asLong(), e.get("length").asLong(), status);
        }
        assertThat(seen).usingRecursiveFieldByFieldElementComparator().isEqualTo(demoLayout());
        ConnectionRecord r = server.connections().getLast();
        assertThat(r.options()).contains("NBD_OPT_EXTENDED_HEADERS");
        assertThat(r.headerMode()).isEqualTo(HeaderMode.EXTENDED);
        assertThat(r.metaContexts()).contains("base:allocation");
    }

    @Test
    void qemuIoMapNegotiatesExtendedHeadersAndCoversTheDisk() throws Exception {
        Peer.require("qemu-io");
        serve("demo", new DemoBackend(), false);
        String out = Peer.run(TIMEOUT, "qemu-io", "-r", "-f", "raw", server.uri("demo"), "-c", "map");
        long covered = 0;
        for (String line : out.strip().split("\n")) {
            // "1 TiB (0x10000000000) bytes     allocated at offset 0 bytes (0x0)"
            String hex = line.substring(line.indexOf("(0x") + 3, line.indexOf(')'));
            covered += Long.parseLong(hex, 16);
        }
        assertThat(covered).isEqualTo(DemoDisk.SIZE);
        assertThat(server.connections().getLast().headerMode()).isEqualTo(HeaderMode.EXTENDED);
    }

    @Test
    void qemuIoWritesAndReadsBack() throws Exception {
        Peer.require("qemu-io");
        MemoryBackend m = new MemoryBackend(1L << 40);
        serve("scratch", m, false);
        String w = Peer.run(TIMEOUT, "qemu-io", "-f", "raw", server.uri("scratch"), "-c", "write -P 0x55 0 64k");
        assertThat(w).contains("wrote 65536/65536 bytes at offset 0");
        Peer.Result r = Peer.runResult(TIMEOUT, "qemu-io", "-f", "raw", server.uri("scratch"), "-c", "read -P 0x55 0 64k");
        assertThat(r.stdout()).contains("read 65536/65536 bytes at offset 0").doesNotContain("verification failed");
        assertThat(r.exit()).isZero();
        ByteBuffer back = ByteBuffer.allocate(65536);
        m.read(0, back);
        assertThat(back.array()).containsOnly(0x55);
        String z = Peer.run(TIMEOUT, "qemu-io", "-f", "raw", server.uri("scratch"), "-c", "write -z -u 0 64k");
        assertThat(z).contains("wrote 65536/65536");
        assertThat(m.initState()).as("qemu zeroed it with holes: the disk is fresh again").isNotZero();
        assertThat(server.connections()).allSatisfy(c -> assertThat(c.headerMode()).isEqualTo(HeaderMode.EXTENDED));
    }

    @Test
    void tlsClientsConnectWithTheTestCertificateAuthority() throws Exception {
        Peer.require("nbdinfo");
        Peer.require("qemu-img");
        TestCertificates certs = TestCertificates.create(dir.resolve("pki"));
        server = NbdServer.builder().export("x", new MemoryBackend(1L << 30), "", false)
            .tls(certs.serverCert(), certs.serverKey()).start();
        String info = Peer.run(TIMEOUT, "nbdinfo", server.uri("x") + "?tls-certificates=" + certs.dir());
        assertThat(info).contains("with TLS").contains("export-size: 1073741824");
        String map = Peer.run(TIMEOUT, "qemu-img", "map", "--output=json",
            "--object", "tls-creds-x509,id=tls0,endpoint=client,dir=" + certs.dir(),
            "--image-opts", "driver=nbd,server.type=inet,server.host=127.0.0.1,server.port=" + server.port() + ",export=x,tls-creds=tls0");
        assertThat(JSON.readTree(map).get(0).get("length").asLong()).isEqualTo(1L << 30);
        assertThat(server.connections()).allSatisfy(c -> assertThat(c.tls()).isTrue());
    }
}
