package org.nbdscope.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.nbd.server.NbdServer;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.testing.Peer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code nbdscope list --json} against {@code nbdinfo --list --json} (libnbd 1.14) on the same servers:
 * every key nbdinfo prints has the same value in ours. Against our own server this also shows that it
 * answers nbdinfo's NBD_OPT_INFO.
 */
class ListLikeNbdinfoTest {
    private static final Duration T = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    /** Runs both on {@code uri} and compares them key by key; returns our exports. */
    static JsonNode sameAsNbdinfo(String uri) throws Exception {
        Peer.require("nbdinfo");
        JsonNode theirs = JSON.readTree(Peer.run(T, "nbdinfo", "--list", "--json", uri));
        Cli r = Cli.run("list", "--json", uri);
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
        JsonNode ours = JSON.readTree(r.out());
        for (String key : List.of("protocol", "TLS")) assertThat(ours.get(key)).as(key).isEqualTo(theirs.get(key));
        JsonNode te = theirs.get("exports");
        JsonNode oe = ours.get("exports");
        assertThat(oe.size()).isEqualTo(te.size());
        for (int i = 0; i < te.size(); i++) {
            JsonNode t = te.get(i);
            JsonNode o = oe.get(i);
            for (String key : t.propertyNames()) assertThat(o.get(key)).as("export %d, %s", i, key).isEqualTo(t.get(key));
        }
        // and the text form shows the same rows in nbdinfo's order, with nbdscope's zero flag row added
        String text = Cli.run("list", uri).out();
        String theirText = Peer.run(T, "nbdinfo", "--list", uri);
        assertThat(text.lines().filter(l -> !l.startsWith("\tzero flag: ") && !l.startsWith("protocol: ")).toList())
            .isEqualTo(theirText.lines().filter(l -> !l.startsWith("protocol: ")).toList());
        return oe;
    }

    @Test
    void ownServerWithTwoExports() throws Exception {
        try (NbdServer server = NbdServer.builder().tcp(InetAddress.getLoopbackAddress(), 0)
                 .export("big", new MemoryBackend(1L << 40), "a sparse terabyte", false)
                 .export("small", new MemoryBackend(8L << 20), "", true)
                 .extendedHeaders(false).start()) {
            JsonNode ours = sameAsNbdinfo(server.uri(""));
            assertThat(ours.get(0).get("export-name").asString()).isEqualTo("big");
            assertThat(ours.get(0).get("export-size").asLong()).isEqualTo(1L << 40);
            assertThat(ours.get(0).get("description").asString()).isEqualTo("a sparse terabyte");
            assertThat(ours.get(1).get("is_read_only").asBoolean()).isTrue();
            assertThat(ours.get(1).get("block_size_minimum")).isNotNull();
        }
    }

    @Test
    void nbdkit() throws Exception {
        Peer.require("nbdkit");
        try (Peer p = Peer.start(dir, false, "nbdkit", "-f", "-p", "{port}", "-i", "127.0.0.1", "sparse-random", "4G", "seed=42")) {
            JsonNode ours = sameAsNbdinfo(p.uri());
            assertThat(ours.get(0).get("export-size").asLong()).isEqualTo(4L << 30);
        }
    }

    @Test
    void qemuNbd() throws Exception {
        Peer.require("qemu-nbd");
        Path raw = dir.resolve("q.raw");
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        try (Peer p = Peer.start(dir, true, "qemu-nbd", "-f", "raw", "-t", "-A", "-k", "{socket}", "-x", "disk", "-D", "a test disk",
                raw.toString())) {
            JsonNode ours = sameAsNbdinfo(p.uri(""));
            assertThat(ours.get(0).get("contexts").toString()).contains("base:allocation").contains("qemu:allocation-depth");
            assertThat(ours.get(0).get("header-mode")).as("a listing key, not an export key").isNull();
            assertThat(JSON.readTree(Cli.run("list", "--json", p.uri("")).out()).get("header-mode").asString()).isEqualTo("extended");
        }
    }
}
