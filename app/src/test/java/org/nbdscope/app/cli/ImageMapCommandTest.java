package org.nbdscope.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.testing.Peer;

/** {@code nbdscope map FILE} and {@code info FILE}: image files through the same commands as NBD exports. */
class ImageMapCommandTest {
    @TempDir Path dir;

    private Path qcow2() throws Exception {
        Path img = dir.resolve("disk.qcow2");
        Peer.run(Duration.ofSeconds(30), "qemu-img", "create", "-q", "-f", "qcow2", img.toString(), "1G");
        Peer.run(Duration.ofSeconds(30), "qemu-io", "-f", "qcow2", "-c", "write -P 1 0 1M", "-c", "write -z 10M 1M",
            "-c", "write -P 7 100M 64k", img.toString());
        return img;
    }

    @Test
    void qemuJsonEqualsQemuImgMapByteForByte() throws Exception {
        Path img = qcow2();
        String expected = Peer.run(Duration.ofSeconds(30), "qemu-img", "map", "--output=json", img.toString());
        Cli r = Cli.run("map", img.toString(), "--format", "qemu-json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).isEqualTo(expected);
    }

    @Test
    void textMapOfAnImageUsesTheNbdinfoShape() throws Exception {
        Path img = qcow2();
        Cli r = Cli.run("map", img.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).startsWith("         0     1048576    0  data\n").contains("    3  hole,zero\n");
        Cli totals = Cli.run("map", "--totals", img.toString());
        assertThat(totals.out()).contains("   0 data").contains("   3 hole,zero");
    }

    @Test
    void infoShowsTheImageHeaderFacts() throws Exception {
        Cli r = Cli.run("info", qcow2().toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("export-size: 1073741824").contains("Format: qcow2").contains("Cluster size: 65536 bytes");
    }

    @Test
    void qemuJsonRefusesAnNbdExport() {
        Cli r = Cli.run("map", "demo", "--format", "qemu-json");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("maps image files only");
    }

    @Test
    void aMissingFileIsNamed() {
        Cli r = Cli.run("map", dir.resolve("nope.qcow2").toString());
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("nope.qcow2");
    }
}
