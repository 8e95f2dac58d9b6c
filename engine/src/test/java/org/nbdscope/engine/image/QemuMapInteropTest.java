package org.nbdscope.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.testing.Peer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Images built by qemu-img and qemu-io 10: our {@code qemu-json} map must equal
 * {@code qemu-img map --output=json} (parsed, and as text), and our {@code base:allocation} scan must
 * agree with qemu's flags for every byte.
 */
class QemuMapInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;

    @BeforeAll
    static void peers() {
        Peer.require("qemu-img");
        Peer.require("qemu-io");
    }

    @Test
    void clusters512() throws Exception {
        Path img = Qemu.create(dir.resolve("c512.qcow2"), "cluster_size=512", "1M");
        Qemu.io(img, "qcow2", "write -P 1 1000 3000", "write -z 8k 4k", "write -P 2 100k 512", "write -P 3 101k 512",
            "write -z -u 300k 2k", "write -P 4 1023k 1k");
        assertSameMap(img, "qcow2");
    }

    @Test
    void clusters64k() throws Exception {
        Path img = Qemu.create(dir.resolve("c64k.qcow2"), "", "16M");
        Qemu.io(img, "qcow2", "write -P 1 0 256k", "write -z 0 64k", "write -z -u 64k 64k", "write -P 2 1M 100k",
            "write -z 3M 128k", "discard 1088k 64k", "write -P 5 16320k 64k");
        assertSameMap(img, "qcow2");
    }

    @Test
    void clusters2M() throws Exception {
        Path img = Qemu.create(dir.resolve("c2m.qcow2"), "cluster_size=2M", "64M");
        Qemu.io(img, "qcow2", "write -P 1 3M 1k", "write -z 10M 4M", "write -P 2 20M 6M", "write -z -u 22M 2M");
        assertSameMap(img, "qcow2");
    }

    @Test
    void extendedL2Subclusters() throws Exception {
        Path img = Qemu.create(dir.resolve("xl2.qcow2"), "extended_l2=on,cluster_size=64k", "8M");
        Qemu.io(img, "qcow2", "write -P 1 4k 4k", "write -P 2 66k 10k", "write -z 200k 8k", "write -z -u 300k 4k",
            "write -P 3 1M 64k", "write -z -u 1M 16k", "write -z 1040k 8k", "write -P 4 2M 2k", "write -P 4 2052k 2k");
        assertSameMap(img, "qcow2");
    }

    @Test
    void extendedL2With32kClusters() throws Exception {
        Path img = Qemu.create(dir.resolve("xl2s.qcow2"), "extended_l2=on,cluster_size=32k", "4M");
        Qemu.io(img, "qcow2", "write -P 1 1k 1k", "write -P 2 33k 3k", "write -z 40k 2k", "write -P 7 1M 100k");
        assertSameMap(img, "qcow2");
    }

    @Test
    void compressedClustersFromConvert() throws Exception {
        Path raw = dir.resolve("src.raw");
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(8 << 20);
            byte[] noise = new byte[5 << 16];
            new Random(42).nextBytes(noise);
            f.seek(2 << 16);
            f.write(noise);                                  // incompressible: stored as normal clusters
            byte[] text = "nbdscope compresses this ".repeat(20000).getBytes();
            f.seek(20 << 16);
            f.write(text);                                   // compressible: compressed clusters
            f.seek(100 << 16);
            f.write(new byte[3 << 16]);                      // zeroes: skipped by convert
            f.seek(7 << 20);
            f.write(text, 0, 70000);
        }
        Path img = dir.resolve("c.qcow2");
        Qemu.img("convert", "-c", "-f", "raw", "-O", "qcow2", raw.toString(), img.toString());
        String map = Qemu.map(img, "qcow2");
        assertThat(map).contains("\"compressed\": true");
        assertSameMap(img, "qcow2");
    }

    @Test
    void zeroClustersPlainAndPreallocated() throws Exception {
        Path img = Qemu.create(dir.resolve("z.qcow2"), "", "4M");
        Qemu.io(img, "qcow2", "write -P 1 0 512k", "write -z 0 64k", "write -z -u 64k 64k", "write -z 1M 64k",
            "write -z -u 2M 128k", "write -z 448k 64k");
        assertSameMap(img, "qcow2");
    }

    @Test
    void preallocationMetadata() throws Exception {
        Path img = Qemu.create(dir.resolve("m.qcow2"), "preallocation=metadata", "8M");
        Qemu.io(img, "qcow2", "write -P 1 1M 64k", "write -P 2 5M 4k", "write -z 6M 64k");
        assertSameMap(img, "qcow2");
    }

    @Test
    void preallocationMetadataWithOddRefcountWidths() throws Exception {
        for (String bits : List.of("1", "2", "4", "8", "32", "64")) {
            Path img = Qemu.create(dir.resolve("m" + bits + ".qcow2"), "preallocation=metadata,refcount_bits=" + bits, "4M");
            Qemu.io(img, "qcow2", "write -P 1 1M 64k");
            assertSameMap(img, "qcow2");
        }
    }

    @Test
    void preallocationFalloc() throws Exception {
        Path img = Qemu.create(dir.resolve("f.qcow2"), "preallocation=falloc", "8M");
        Qemu.io(img, "qcow2", "write -P 1 1M 64k", "write -z -u 2M 64k");
        assertSameMap(img, "qcow2");
    }

    @Test
    void preallocationFull() throws Exception {
        Path img = Qemu.create(dir.resolve("full.qcow2"), "preallocation=full", "4M");
        assertSameMap(img, "qcow2");
    }

    @Test
    void threeDeepBackingChain() throws Exception {
        Path b0 = Qemu.create(dir.resolve("b0.qcow2"), "", "4M");
        Qemu.io(b0, "qcow2", "write -P 1 0 1M", "write -P 6 3M 64k");
        Path b1 = dir.resolve("b1.qcow2");
        Qemu.img("create", "-q", "-f", "qcow2", "-b", "b0.qcow2", "-F", "qcow2", b1.toString(), "3M");
        Qemu.io(b1, "qcow2", "write -P 2 512k 64k", "write -z 640k 64k", "write -z -u 768k 64k");
        Path b2 = dir.resolve("b2.qcow2");
        Qemu.img("create", "-q", "-f", "qcow2", "-b", "b1.qcow2", "-F", "qcow2", b2.toString(), "6M");
        Qemu.io(b2, "qcow2", "write -P 3 0 64k", "write -z -u 128k 64k", "write -P 4 5M 64k");
        assertSameMap(b2, "qcow2");
        try (ImageSource s = ImageSources.open(b2, ImageOptions.defaults())) {
            assertThat(s.chain()).extracting(ChainLink::depth).containsExactly(0, 1, 2);
            assertThat(s.chain()).extracting(ChainLink::format).containsExactly("qcow2", "qcow2", "qcow2");
            assertThat(s.details().get("Backing chain")).isEqualTo("b2.qcow2 (qcow2) -> b1.qcow2 (qcow2) -> b0.qcow2 (qcow2)");
        }
    }

    @Test
    void rawBackingFileAndExtendedL2Overlay() throws Exception {
        Path base = dir.resolve("base.raw");
        try (RandomAccessFile f = new RandomAccessFile(base.toFile(), "rw")) {
            f.setLength(3 << 20);
            f.seek(1 << 20);
            f.write(new byte[] {1, 2, 3});
        }
        Path top = dir.resolve("top.qcow2");
        Qemu.img("create", "-q", "-f", "qcow2", "-o", "extended_l2=on", "-b", "base.raw", "-F", "raw", top.toString(), "4M");
        Qemu.io(top, "qcow2", "write -P 9 8k 4k", "write -z 2M 8k");
        assertSameMap(top, "qcow2");
    }

    @Test
    void snapshots() throws Exception {
        Path img = Qemu.create(dir.resolve("s.qcow2"), "", "4M");
        Qemu.io(img, "qcow2", "write -P 1 0 256k");
        Qemu.img("snapshot", "-c", "first", img.toString());
        Qemu.io(img, "qcow2", "write -P 2 64k 64k", "write -P 2 1M 64k");
        Qemu.img("snapshot", "-c", "second snapshot", img.toString());
        Qemu.io(img, "qcow2", "write -z -u 0 64k");
        assertSameMap(img, "qcow2");
        try (ImageSource s = ImageSources.open(img, ImageOptions.defaults())) {
            assertThat(s.snapshots()).extracting(sn -> sn.id() + ":" + sn.name()).containsExactly("1:first", "2:second snapshot");
            assertThat(s.snapshots()).allSatisfy(sn -> assertThat(sn.diskSize()).isEqualTo(4 << 20));
            assertThat(s.details().get("Snapshots")).isEqualTo("2");
        }
    }

    @Test
    void version2Image() throws Exception {
        Path img = Qemu.create(dir.resolve("v2.qcow2"), "compat=0.10", "4M");
        Qemu.io(img, "qcow2", "write -P 1 0 256k", "write -z 0 64k", "write -z -u 64k 64k", "write -z 1M 64k");
        assertSameMap(img, "qcow2");
        try (ImageSource s = ImageSources.open(img, ImageOptions.defaults())) {
            assertThat(s.details().get("Version")).isEqualTo("2");
        }
    }

    @Test
    void externalDataFile() throws Exception {
        // qemu resolves a relative data file name against its working directory, so give it absolutely
        Path img = Qemu.create(dir.resolve("ext.qcow2"), "data_file=" + dir.resolve("ext.data"), "4M");
        Qemu.io(img, "qcow2", "write -P 1 64k 64k", "write -z 1M 64k", "write -P 2 0 4k");
        assertSameMap(img, "qcow2");
        Path raw = Qemu.create(dir.resolve("extraw.qcow2"), "data_file=" + dir.resolve("extraw.data") + ",data_file_raw=on", "4M");
        Qemu.io(raw, "qcow2", "write -P 1 64k 64k");
        assertSameMap(raw, "qcow2");
    }

    @Test
    void luksEncryptedWithoutTheKey() throws Exception {
        Path img = dir.resolve("enc.qcow2");
        String secret = "secret,id=sec0,data=nbdscope";
        Qemu.img("create", "-q", "-f", "qcow2", "--object", secret, "-o", "encrypt.format=luks,encrypt.key-secret=sec0",
            img.toString(), "4M");
        String opts = "driver=qcow2,file.filename=" + img + ",encrypt.key-secret=sec0";
        Peer.run(Qemu.TIMEOUT, "qemu-io", "--object", secret, "--image-opts", opts, "-c", "write -P 1 64k 64k", "-c", "write -z 1M 64k");
        String expected = Qemu.img("map", "--output=json", "--object", secret, "--image-opts", opts);
        try (ImageSource s = ImageSources.open(img, ImageOptions.defaults())) {
            assertThat(QemuMap.toJson(s)).isEqualTo(expected);
            assertThat(s.details().get("Encryption")).isEqualTo("luks");
        }
    }

    @Test
    void emptyAndOddSizedQcow2() throws Exception {
        assertSameMap(Qemu.create(dir.resolve("empty.qcow2"), "", "0"), "qcow2");
        Path odd = Qemu.create(dir.resolve("odd.qcow2"), "", "1000");
        assertSameMap(odd, "qcow2");
    }

    @Test
    void rawSparseWithHolesAtBothEnds() throws Exception {
        Path raw = dir.resolve("sparse.raw");
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "rw")) {
            f.setLength(64 << 20);
            byte[] data = new byte[3 << 16];
            new Random(7).nextBytes(data);
            f.seek(20 << 16);
            f.write(data);
            f.seek(300 << 16);
            f.write(data);
            f.seek(600 << 16);
            f.write(new byte[1 << 16]);                      // written zeroes: data to SEEK_DATA
        }
        assertSameMap(raw, "raw");
    }

    @Test
    void rawOddSizesAndEmpty() throws Exception {
        Path odd = dir.resolve("odd.raw");
        Files.write(odd, "x".repeat(1000).getBytes());
        assertSameMap(odd, "raw");
        Path tail = dir.resolve("tail.raw");
        try (RandomAccessFile f = new RandomAccessFile(tail.toFile(), "rw")) {
            f.setLength(5000);
            f.seek(4500);
            f.write(1);
        }
        assertSameMap(tail, "raw");
        Path hole = dir.resolve("hole.raw");
        try (RandomAccessFile f = new RandomAccessFile(hole.toFile(), "rw")) {
            f.setLength(1000);
        }
        assertSameMap(hole, "raw");
        Path empty = Files.createFile(dir.resolve("empty.raw"));
        assertSameMap(empty, "raw");
    }

    /** Our map equals qemu-img's, and our base:allocation scan follows from qemu's flags byte for byte. */
    static void assertSameMap(Path image, String fmt) throws IOException, InterruptedException {
        String expected = Qemu.map(image, fmt);
        try (ImageSource s = ImageSources.open(image, ImageOptions.defaults())) {
            assertThat(s.format()).isEqualTo(fmt);
            String ours = QemuMap.toJson(s);
            JsonNode want = JSON.readTree(expected);
            assertThat(JSON.readTree(ours)).as("map of %s", image.getFileName()).isEqualTo(want);
            assertThat(ours).isEqualTo(expected);
            if (s.size() == 0) return;
            ScanResult r = ExtentScanner.scan(s, ScanOptions.defaults().withInFlight(s.preferredInFlight()));
            assertThat(r.outcome()).isEqualTo(ScanResult.Outcome.COMPLETE);
            assertThat(dump(r.map())).as("base:allocation of %s", image.getFileName()).isEqualTo(dump(baseAllocation(want, s.size())));
        }
    }

    /** The base:allocation map qemu-nbd would serve, derived from qemu-img's entries. */
    static ExtentMap baseAllocation(JsonNode entries, long size) {
        ExtentMap m = new ExtentMap(size);
        for (JsonNode e : entries) {
            long start = e.get("start").asLong();
            long len = Math.min(e.get("length").asLong(), size - start);
            if (len <= 0) continue;
            int st = (e.get("data").asBoolean() ? 0 : 1) | (e.get("zero").asBoolean() ? 2 : 0);
            m.append(start, len, st);
        }
        return m;
    }

    static List<String> dump(ExtentMap m) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < m.count(); i++) out.add(m.start(i) + "+" + m.length(i) + ":" + m.status(i));
        return out;
    }
}
