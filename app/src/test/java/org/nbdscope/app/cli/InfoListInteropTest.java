package org.nbdscope.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.testing.Peer;

/** {@code info} and {@code list} against real servers; {@code map} on a server without block status. */
class InfoListInteropTest {
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Path rawFile(long size) throws Exception {
        Path raw = dir.resolve("disk.raw");
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(size);
            f.seek(1 << 20);
            f.write(new byte[] {1, 2, 3, 4});
        }
        return raw;
    }

    /**
     * nbd-server 3.24 in the foreground ({@code -d}: one session, then it exits) on a Unix socket, with a
     * named export. Its configuration file names the socket, so a shell writes it once the path is known.
     */
    private Peer nbdServer(Path raw) throws Exception {
        Peer.require("nbd-server");
        Path template = dir.resolve("nbd-server.conf.in");
        Files.writeString(template, """
            [generic]
                unixsock = SOCKET
                allowlist = true
            [disk]
                exportname = %s
                readonly = true
            """.formatted(raw));
        Path conf = dir.resolve("nbd-server-" + System.nanoTime() + ".conf");
        return Peer.start(dir, true, "sh", "-c",
            "sed 's|SOCKET|{socket}|' '" + template + "' > '" + conf + "' && exec nbd-server -C '" + conf + "' -d");
    }

    @Test
    void nbdServerInfoShowsTheRealSizeAndSimpleReplies() throws Exception {
        Path raw = rawFile(64L << 20);
        try (Peer p = nbdServer(raw)) {
            Cli r = Cli.run("info", p.uri("disk"));
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
            // NBD_OPT_INFO reports size 0 on nbd-server 3.24; the size from GO is the real one
            assertThat(r.out()).startsWith("protocol: newstyle-fixed without TLS, using simple packets\nexport=\"disk\":\n")
                .contains("\texport-size: 67108864 (64M)\n")
                .contains("\theader mode: simple replies")
                .contains("\tTLS: no\n")
                .contains("read-only")
                .contains("\tmeta contexts: none\n")
                .contains("\tzero flag: not sent\n");
        }
    }

    @Test
    void nbdServerListDescribesItsExportWithTheSizeFromGo() throws Exception {
        try (Peer p = nbdServer(rawFile(2 << 20))) {
            Cli r = Cli.run("list", p.uri());
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
            // NBD_OPT_INFO says 0 (nbdinfo --list prints that); the GO on a fresh connection gives the real size
            assertThat(r.out()).isEqualTo("""
                protocol: newstyle-fixed without TLS, using simple packets
                export="disk":
                \texport-size: 2097152 (2M)
                \tsize-note: NBD_OPT_INFO reported 0; this is the size NBD_OPT_GO reports
                \turi: %s
                \tis_rotational: false
                \tis_read_only: true
                \tcan_cache: false
                \tcan_df: false
                \tcan_fast_zero: false
                \tcan_flush: false
                \tcan_fua: false
                \tcan_multi_conn: true
                \tcan_trim: false
                \tcan_zero: true
                \tzero flag: not sent
                """.formatted(p.uri("disk")));
        }
        try (Peer p = nbdServer(rawFile(2 << 20))) {
            Cli r = Cli.run("list", "--json", p.uri());
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
            tools.jackson.databind.JsonNode e = new tools.jackson.databind.ObjectMapper().readTree(r.out()).get("exports").get(0);
            assertThat(e.get("export-name").asString()).isEqualTo("disk");
            assertThat(e.get("export-size").asLong()).isEqualTo(2 << 20);
            assertThat(e.get("size-note").asString()).startsWith("NBD_OPT_INFO reported 0");
        }
    }

    @Test
    void nbdServerMapFailsAsClearlyAsNbdinfo() throws Exception {
        Path raw = rawFile(1 << 20);
        String theirs;
        try (Peer p = nbdServer(raw)) {
            Peer.Result n = Peer.runResult(T, "nbdinfo", "--map", p.uri("disk"));
            assertThat(n.exit()).isNotZero();
            theirs = n.stderr();
        }
        assertThat(theirs).contains("server does not support metadata context \"base:allocation\"");
        for (String[] shape : new String[][] {{}, {"--json"}, {"--totals"}}) {
            try (Peer p = nbdServer(raw)) {
                String[] args = new String[shape.length + 2];
                args[0] = "map";
                System.arraycopy(shape, 0, args, 1, shape.length);
                args[args.length - 1] = p.uri("disk");
                Cli r = Cli.run(args);
                assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
                assertThat(r.out()).as("no made-up map").isEmpty();
                assertThat(r.err()).startsWith("nbdscope: map: server does not support metadata context \"base:allocation\"");
            }
        }
    }

    @Test
    void nbdkitInfoAndJson() throws Exception {
        try (Peer p = Peer.start(dir, false, "nbdkit", "-f", "--exit-with-parent", "-i", "127.0.0.1", "-p", "{port}",
                "--filter=nozero", "memory", "1G")) {
            Cli r = Cli.run("info", p.uri());
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
            assertThat(r.out()).startsWith("protocol: newstyle-fixed without TLS, using structured packets\nexport=\"\":\n")
                .contains("\texport-size: 1073741824 (1G)\n")
                .contains("\turi: nbd://127.0.0.1:" + p.port + "/\n")
                .contains("\theader mode: structured replies")
                .contains("\ttransmission flags: 0x")
                .contains("has flags").contains("flush")
                .contains("\t\tbase:allocation (id ")
                .contains("\tzero flag: not sent\n");
            Cli j = Cli.run("info", "--json", p.uri());
            assertThat(j.exit()).isEqualTo(ExitCodes.OK);
            tools.jackson.databind.JsonNode root = new tools.jackson.databind.ObjectMapper().readTree(j.out());
            assertThat(root.get("protocol").asString()).isEqualTo("newstyle-fixed");
            assertThat(root.get("TLS").asBoolean()).isFalse();
            assertThat(root.get("header-mode").asString()).isEqualTo("structured");
            tools.jackson.databind.JsonNode e = root.get("exports").get(0);
            assertThat(e.get("export-name").asString()).isEmpty();
            assertThat(e.get("export-size").asLong()).isEqualTo(1L << 30);
            assertThat(e.get("export-size-str").asString()).isEqualTo("1G");
            assertThat(e.get("is_read_only").asBoolean()).isFalse();
            assertThat(e.get("can_zero").asBoolean()).isFalse();   // the nozero filter
            assertThat(e.get("meta-contexts").has("base:allocation")).isTrue();
            assertThat(e.get("init-state").isNull()).isTrue();
            // nbdinfo --json's keys a script would read have the same values
            tools.jackson.databind.JsonNode theirs = new tools.jackson.databind.ObjectMapper()
                .readTree(Peer.run(T, "nbdinfo", "--json", p.uri())).get("exports").get(0);
            for (String key : new String[] {"export-name", "export-size", "export-size-str", "is_read_only", "is_rotational",
                    "can_cache", "can_df", "can_fast_zero", "can_flush", "can_fua", "can_multi_conn", "can_trim", "can_zero"}) {
                assertThat(e.get(key)).as(key).isEqualTo(theirs.get(key));
            }
        }
    }

    @Test
    void qemuNbdInfoShowsBlockSizesAndContextsOverAUnixSocket() throws Exception {
        Path raw = rawFile(64L << 20);
        try (Peer p = Peer.start(dir, true, "qemu-nbd", "-f", "raw", "-r", "-t", "-k", "{socket}", "-x", "disk", "-D", "a test disk",
                raw.toString())) {
            Cli r = Cli.run("info", p.uri("disk"));
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.OK);
            assertThat(r.out()).contains("export=\"disk\":\n\tdescription: a test disk\n")
                .contains("\texport-size: 67108864 (64M)\n")
                .contains("\tblock_size_minimum: 1\n")
                .contains("\tblock_size_preferred: 4096\n")
                .contains("\tblock_size_maximum: 33554432\n")
                .contains("read-only")
                .contains("\t\tbase:allocation");
            Cli l = Cli.run("list", p.uri());
            assertThat(l.exit()).as(l.toString()).isEqualTo(ExitCodes.OK);
            assertThat(l.out()).contains("export=\"disk\":\n\tdescription: a test disk\n\texport-size: 67108864 (64M)\n")
                .contains("\tblock_size_preferred: 4096\n");
        }
    }
}
