package org.nbdscope.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.testing.Peer;

/**
 * Our {@code base:allocation} view of an image equals what qemu-nbd 10 serves for it, as nbdinfo
 * --map reads it: so {@code nbdscope map image.qcow2} and {@code nbdinfo --map} over {@code qemu-nbd} agree.
 */
class QemuNbdCrossCheckTest {
    @TempDir Path dir;

    @Test
    void chainWithPreallocationAndZeroClusters() throws Exception {
        Peer.require("qemu-nbd");
        Peer.require("nbdinfo");
        Path base = Qemu.create(dir.resolve("base.qcow2"), "preallocation=metadata", "8M");
        Qemu.io(base, "qcow2", "write -P 1 1M 64k", "write -z 3M 64k");
        Path top = dir.resolve("top.qcow2");
        Qemu.img("create", "-q", "-f", "qcow2", "-b", "base.qcow2", "-F", "qcow2", top.toString(), "12M");
        Qemu.io(top, "qcow2", "write -P 2 0 64k", "write -z -u 1M 32k", "write -P 3 9M 128k", "write -z 5M 64k");
        for (Path image : List.of(base, top)) {
            try (Peer nbd = Peer.start(dir, true, "qemu-nbd", "-r", "-f", "qcow2", "-k", "{socket}", image.toString());
                 ImageSource s = ImageSources.open(image, ImageOptions.defaults())) {
                String map = Peer.run(Qemu.TIMEOUT, "nbdinfo", "--map", nbd.uri());
                ExtentMap theirs = new ExtentMap(s.size());
                for (String line : map.strip().split("\n")) {
                    String[] f = line.trim().split("\\s+");
                    theirs.append(Long.parseLong(f[0]), Long.parseLong(f[1]), Integer.parseInt(f[2]));
                }
                ExtentMap ours = ExtentScanner.scan(s, ScanOptions.defaults()).map();
                assertThat(QemuMapInteropTest.dump(ours)).as("%s", image.getFileName()).isEqualTo(QemuMapInteropTest.dump(theirs));
            }
        }
    }
}
