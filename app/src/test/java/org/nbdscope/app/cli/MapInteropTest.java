package org.nbdscope.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.testing.Peer;

/**
 * {@code nbdscope map} against Debian's {@code nbdinfo --map} (libnbd 1.14) on the same export, in every
 * output shape: text, {@code --json}, {@code --totals} and {@code --totals --json} must be byte-equal.
 */
class MapInteropTest {
    private static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** Runs both tools in all four shapes and compares them; returns the text map. */
    static String assertSameAsNbdinfo(String uri, String... extra) throws Exception {
        String text = null;
        for (List<String> shape : List.of(List.<String>of(), List.of("--json"), List.of("--totals"), List.of("--totals", "--json"))) {
            List<String> theirs = new ArrayList<>(List.of("nbdinfo", "--map"));
            theirs.addAll(shape);
            theirs.add(uri);
            String expected = Peer.run(T, theirs.toArray(String[]::new));
            List<String> ours = new ArrayList<>(List.of("map"));
            ours.addAll(List.of(extra));
            ours.addAll(shape);
            ours.add(uri);
            Cli r = Cli.run(ours.toArray(String[]::new));
            assertThat(r.exit()).as("exit of %s: %s", ours, r).isEqualTo(ExitCodes.OK);
            assertThat(r.err()).as("stderr of %s", ours).isEmpty();
            assertThat(r.out()).as("nbdscope %s vs %s", String.join(" ", ours), String.join(" ", theirs)).isEqualTo(expected);
            if (shape.isEmpty()) text = r.out();
        }
        return text;
    }

    @Test
    void nbdkitMemoryWithWrites() throws Exception {
        try (Peer p = Peer.start(dir, false, "nbdkit", "-f", "--exit-with-parent", "-i", "127.0.0.1", "-p", "{port}", "memory", "64M")) {
            // data, a zeroed range (the memory plugin drops it), more data near the end
            Peer.run(T, "qemu-io", "-f", "raw", "-c", "write -P 0x55 1M 192k", "-c", "write -P 0xaa 8M 4k",
                "-c", "write -P 0x11 20M 1M", "-c", "write -z 20M 512k", "-c", "write -P 0x22 63M 1M", p.uri());
            String map = assertSameAsNbdinfo(p.uri());
            assertThat(map.lines()).hasSizeGreaterThan(5).anyMatch(l -> l.endsWith("  data"));
        }
    }

    @Test
    void nbdkitSparseRandomAcrossManyRequests() throws Exception {
        // 10 GiB: three block-status requests of just under 4 GiB, answers merged across request boundaries
        try (Peer p = Peer.start(dir, false, "nbdkit", "-f", "--exit-with-parent", "-i", "127.0.0.1", "-p", "{port}",
                "sparse-random", "10G", "seed=42")) {
            String map = assertSameAsNbdinfo(p.uri());
            assertThat(map.lines().count()).isGreaterThan(20);
            assertSameAsNbdinfo(p.uri(), "--in-flight", "1");
        }
    }

    @Test
    void severalConnectionsGiveTheSameMap() throws Exception {
        // 80 GiB: 21 requests of just under 4 GiB, spread over up to 4 connections (nbdkit allows multi-conn)
        try (Peer p = Peer.start(dir, false, "nbdkit", "-f", "--exit-with-parent", "-i", "127.0.0.1", "-p", "{port}",
                "sparse-random", "80G", "seed=7")) {
            assertSameAsNbdinfo(p.uri(), "--connections", "4", "--in-flight", "8");
            // more in flight than the connections take (16 each): the rest wait in the pool for a free slot
            assertSameAsNbdinfo(p.uri(), "--connections", "2", "--in-flight", "64");
            Cli r = Cli.run("map", "--stats", "--connections", "4", p.uri());
            assertThat(r.exit()).isEqualTo(ExitCodes.OK);
            assertThat(r.err()).containsPattern("21 requests \\(64 in flight, [1-4] connections\\)");
        }
    }

    @Test
    void nbdkitDataPatternOddSize() throws Exception {
        try (Peer p = Peer.start(dir, false, "nbdkit", "-f", "--exit-with-parent", "-i", "127.0.0.1", "-p", "{port}",
                "data", "1 2 3 @1048576 4 @^65536 0 @4194304 1")) {
            String map = assertSameAsNbdinfo(p.uri());
            assertThat(map).endsWith("   4194304           1    0  data\n");
        }
    }

    @Test
    void nbdkitNullAndNoextentsOverUnixSocket() throws Exception {
        try (Peer p = Peer.start(dir, true, "nbdkit", "-f", "--exit-with-parent", "-U", "{socket}", "null", "1M")) {
            assertThat(assertSameAsNbdinfo(p.uri())).isEqualTo("         0     1048576    3  hole,zero\n");
            // a context the server does not offer fails like nbdinfo, before printing anything
            Peer.Result theirs = Peer.runResult(T, "nbdinfo", "--map=qemu:dirty-bitmap:b0", p.uri());
            assertThat(theirs.exit()).isNotZero();
            Cli r = Cli.run("map", "--context", "qemu:dirty-bitmap:b0", p.uri());
            assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.out()).isEmpty();
            assertThat(r.err()).startsWith("nbdscope: map: server does not support metadata context \"qemu:dirty-bitmap:b0\"");
        }
        try (Peer p = Peer.start(dir, true, "nbdkit", "-f", "--exit-with-parent", "-U", "{socket}", "null", "0")) {
            assertThat(assertSameAsNbdinfo(p.uri())).isEmpty();
        }
        try (Peer p = Peer.start(dir, true, "nbdkit", "-f", "--exit-with-parent", "-U", "{socket}", "--filter=noextents",
                "data", "1 @1048576 2", "size=3M")) {
            assertThat(assertSameAsNbdinfo(p.uri())).isEqualTo("         0     3145728    0  data\n");
        }
    }

    @Test
    void qemuNbdOnSparseRawFile() throws Exception {
        Path raw = dir.resolve("disk.raw");
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(256L << 20);
            byte[] data = new byte[192 << 10];
            java.util.Arrays.fill(data, (byte) 0x5a);
            f.seek(10L << 20);
            f.write(data);
            f.seek(100L << 20);
            f.write(new byte[128 << 10]);   // allocated zeroes
            f.seek((256L << 20) - 4096);
            f.write(data, 0, 4096);
        }
        try (Peer p = Peer.start(dir, false, "qemu-nbd", "-f", "raw", "-r", "-t", "-b", "127.0.0.1", "-p", "{port}", "-x", "", raw.toString())) {
            String map = assertSameAsNbdinfo(p.uri());
            assertThat(map).contains("  data").endsWith("268431360        4096    0  data\n");
        }
        try (Peer p = Peer.start(dir, true, "qemu-nbd", "-f", "raw", "-r", "-t", "-k", "{socket}", "-x", "disk", raw.toString())) {
            assertSameAsNbdinfo(p.uri("disk"));
        }
    }

    @Test
    void qemuAllocationDepthContext() throws Exception {
        Path img = dir.resolve("top.qcow2");
        Path base = dir.resolve("base.qcow2");
        Peer.run(T, "qemu-img", "create", "-q", "-f", "qcow2", base.toString(), "64M");
        Peer.run(T, "qemu-io", "-f", "qcow2", "-c", "write -P 1 0 1M", base.toString());
        Peer.run(T, "qemu-img", "create", "-q", "-f", "qcow2", "-b", base.toString(), "-F", "qcow2", img.toString());
        Peer.run(T, "qemu-io", "-f", "qcow2", "-c", "write -P 2 4M 1M", img.toString());
        try (Peer p = Peer.start(dir, false, "qemu-nbd", "-f", "qcow2", "-r", "-t", "-b", "127.0.0.1", "-p", "{port}", "-x", "",
                "-A", img.toString())) {
            String expected = Peer.run(T, "nbdinfo", "--map=qemu:allocation-depth", p.uri());
            Cli r = Cli.run("map", "--context", "qemu:allocation-depth", p.uri());
            assertThat(r.out()).as(r.toString()).isEqualTo(expected).contains("backing depth 2").contains("local");
        }
    }

}
