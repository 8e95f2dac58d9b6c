package org.nbdscope.engine.image.qcow2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.image.ChainLink;
import org.nbdscope.engine.image.ImageException;
import org.nbdscope.engine.image.ImageOptions;
import org.nbdscope.engine.image.ImageSource;
import org.nbdscope.engine.image.ImageSources;
import org.nbdscope.engine.image.QemuMap;
import org.nbdscope.engine.image.QemuMap.Entry;
import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.scan.ScanResult;

/** Cluster states read from images written by {@link Qcow2Builder}: no qemu needed. */
class Qcow2LayerTest {
    @TempDir Path dir;

    /** 512-byte clusters: header, reftable, refblock, L1, L2 at clusters 0..4; data from cluster 5 on, in guest order. */
    private Path layout() throws Exception {
        return Qcow2Builder.create(9, 64 << 10).normal(3, 0x11).zeroPlain(5).zeroAlloc(6).compressed(8).compressed(9)
            .normal(10, 0x22).normal(11, 0x33).write(dir.resolve("layout.qcow2"));
    }

    private static Entry e(long start, long length, boolean present, boolean zero, boolean data, boolean compressed, long offset) {
        return new Entry(start, length, 0, present, zero, data, compressed, offset);
    }

    @Test
    void clusterStatesMapLikeQemu() throws Exception {
        try (ImageSource s = ImageSources.open(layout(), ImageOptions.defaults())) {
            assertThat(s.format()).isEqualTo("qcow2");
            assertThat(s.size()).isEqualTo(64 << 10);
            assertThat(QemuMap.entries(s)).containsExactly(
                e(0, 1536, false, true, false, false, -1),
                e(1536, 512, true, false, true, false, 2560),
                e(2048, 512, false, true, false, false, -1),
                e(2560, 512, true, true, false, false, -1),
                e(3072, 512, true, true, false, false, 3072),
                e(3584, 512, false, true, false, false, -1),
                e(4096, 1024, true, false, true, true, -1),
                e(5120, 1024, true, false, true, false, 4608),
                e(6144, 59392, false, true, false, false, -1));
            ScanResult r = ExtentScanner.scan(s, ScanOptions.defaults());
            assertThat(dump(r.map())).containsExactly("0+1536:3", "1536+512:0", "2048+2048:3", "4096+2048:0", "6144+59392:3");
        }
    }

    @Test
    void jsonTextIsQemuImgs() throws Exception {
        try (ImageSource s = ImageSources.open(layout(), ImageOptions.defaults())) {
            String json = QemuMap.toJson(s);
            assertThat(json).startsWith("[{ \"start\": 0, \"length\": 1536, \"depth\": 0, \"present\": false, \"zero\": true,"
                + " \"data\": false, \"compressed\": false},\n{ \"start\": 1536, \"length\": 512, \"depth\": 0, \"present\": true,"
                + " \"zero\": false, \"data\": true, \"compressed\": false, \"offset\": 2560},\n");
            assertThat(json).endsWith("\"compressed\": false}]\n");
            var out = new java.io.ByteArrayOutputStream();
            QemuMap.writeJson(s, out);
            assertThat(out.toString()).isEqualTo(json);
        }
    }

    @Test
    void extendedL2Subclusters() throws Exception {
        // 16 KiB clusters, 512-byte subclusters; cluster 1: subclusters 0-1 data, 2-3 zero, rest unallocated (host kept)
        Path p = Qcow2Builder.create(14, 1 << 20).extendedL2().sub(1, 0b0011, 0b1100, true).sub(2, 0, 0b1, false)
            .write(dir.resolve("xl2.qcow2"));
        try (ImageSource s = ImageSources.open(p, ImageOptions.defaults())) {
            List<Entry> m = QemuMap.entries(s);
            long host = m.get(1).offset();
            assertThat(m).containsExactly(
                e(0, 16384, false, true, false, false, -1),
                e(16384, 1024, true, false, true, false, host),
                e(17408, 1024, true, true, false, false, host + 1024),
                e(18432, 14336, false, true, false, false, host + 2048),
                e(32768, 512, true, true, false, false, -1),
                e(33280, (1 << 20) - 33280, false, true, false, false, -1));
            assertThat(host % 16384).isZero();
        }
    }

    @Test
    void backingNotFollowedIsShownAndUnknown() throws Exception {
        Qcow2Builder.create(9, 64 << 10).normal(0, 1).write(dir.resolve("base.qcow2"));
        Path top = Qcow2Builder.create(9, 64 << 10).normal(2, 2).backing("base.qcow2", "qcow2").write(dir.resolve("top.qcow2"));
        try (ImageSource s = ImageSources.open(top, ImageOptions.standalone())) {
            assertThat(s.chain()).hasSize(2);
            ChainLink b = s.chain().get(1);
            assertThat(b.opened()).isFalse();
            assertThat(b.name()).isEqualTo("base.qcow2");
            assertThat(b.describe()).isEqualTo("base.qcow2 (not followed, qcow2)");
            assertThat(s.details().get("Backing chain")).isEqualTo("top.qcow2 (qcow2) -> base.qcow2 (not followed, qcow2)");
            ScanResult r = ExtentScanner.scan(s, ScanOptions.defaults());
            assertThat(dump(r.map())).containsExactly("0+1024:-1", "1024+512:0", "1536+64000:-1");
            assertThatThrownBy(() -> QemuMap.entries(s)).isInstanceOf(ImageException.class)
                .hasMessageContaining("backing file 'base.qcow2', which was not opened");
        }
        try (ImageSource s = ImageSources.open(top, ImageOptions.defaults())) {
            assertThat(dump(ExtentScanner.scan(s, ScanOptions.defaults()).map()))
                .containsExactly("0+512:0", "512+512:3", "1024+512:0", "1536+64000:3");
            assertThat(QemuMap.entries(s)).extracting(Entry::depth).containsExactly(1, 1, 0, 1);
        }
    }

    @Test
    void openingAndMappingNeverWrites() throws Exception {
        Qcow2Builder.create(9, 64 << 10).normal(0, 1).write(dir.resolve("base.qcow2"));
        Path top = Qcow2Builder.create(9, 64 << 10).normal(2, 2).zeroAlloc(7).backing("base.qcow2", "qcow2").write(dir.resolve("top.qcow2"));
        String before = digest(top) + digest(dir.resolve("base.qcow2"));
        var mtime = Files.getLastModifiedTime(top);
        try (ImageSource s = ImageSources.open(top, ImageOptions.defaults().withDetectZeroes(true))) {
            QemuMap.entries(s);
            ExtentScanner.scan(s, ScanOptions.defaults());
            s.details();
        }
        assertThat(digest(top) + digest(dir.resolve("base.qcow2"))).isEqualTo(before);
        assertThat(Files.getLastModifiedTime(top)).isEqualTo(mtime);
    }

    @Test
    void refcountsAreRead() throws Exception {
        Path p = layout();
        try (ImageSource s = ImageSources.open(p, ImageOptions.defaults())) {
            Qcow2Layer l = (Qcow2Layer) topLayer(s);
            assertThat(l.refcount(0)).isEqualTo(1);
            assertThat(l.refcount(10)).isEqualTo(1);
            assertThat(l.refcount(11)).isZero();
            assertThat(l.refcount(200)).isZero();
            assertThat(l.metadataPreallocation()).isFalse();
        }
    }

    @Test
    void snapshotTableIsRead() throws Exception {
        Path p = Qcow2Builder.create(9, 64 << 10).normal(1, 1).write(dir.resolve("snap.qcow2"));
        long size = Files.size(p);
        // one snapshot entry appended at the end of the file: 40 fixed bytes, 16 extra, id "7", name "before upgrade"
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(512);
        b.putLong(3 * 512).putInt(2).putShort((short) 1).putShort((short) 14).putInt(1_700_000_000).putInt(5)
            .putLong(61_500_000_000L).putInt(0).putInt(16).putLong(0).putLong(64 << 10).put((byte) '7').put("before upgrade".getBytes());
        Qcow2Builder.patch(p, size, b.array());
        Qcow2Builder.patchInt(p, Qcow2Builder.OFF_NB_SNAPSHOTS, 1);
        Qcow2Builder.patchLong(p, Qcow2Builder.OFF_SNAPSHOTS_OFFSET, size);
        try (ImageSource s = ImageSources.open(p, ImageOptions.defaults())) {
            assertThat(s.snapshots()).hasSize(1);
            Qcow2Snapshot sn = s.snapshots().getFirst();
            assertThat(sn.id()).isEqualTo("7");
            assertThat(sn.name()).isEqualTo("before upgrade");
            assertThat(sn.date().getEpochSecond()).isEqualTo(1_700_000_000L);
            assertThat(sn.diskSize()).isEqualTo(64 << 10);
            assertThat(sn.vmClockNanos()).isEqualTo(61_500_000_000L);
            assertThat(s.details().get("Snapshot 7")).startsWith("'before upgrade', ").contains("VM clock 00:01:01.500");
        }
    }

    static org.nbdscope.engine.image.Layer topLayer(ImageSource s) throws Exception {
        var m = ImageSource.class.getDeclaredMethod("top");
        m.setAccessible(true);
        return (org.nbdscope.engine.image.Layer) m.invoke(s);
    }

    static List<String> dump(ExtentMap m) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < m.count(); i++) out.add(m.start(i) + "+" + m.length(i) + ":" + m.status(i));
        return out;
    }

    private static String digest(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
