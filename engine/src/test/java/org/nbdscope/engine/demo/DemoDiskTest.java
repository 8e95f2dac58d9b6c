package org.nbdscope.engine.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.extent.ExtentTotals;

class DemoDiskTest {
    private final DemoDisk disk = DemoDisk.standard();

    private ByteBuffer read(long offset, int n) {
        ByteBuffer b = ByteBuffer.allocate(n);
        disk.read(offset, b);
        return b.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void layoutCoversOneTebibyteInMergedAlignedExtents() {
        assertThat(disk.size()).isEqualTo(1L << 40);
        long pos = 0;
        for (int i = 0; i < disk.extentCount(); i++) {
            assertThat(disk.extentStart(i)).isEqualTo(pos);
            assertThat(disk.extentStart(i) % 4096).isZero();
            if (i > 0) assertThat(disk.extentStatus(i)).isNotEqualTo(disk.extentStatus(i - 1));
            pos = disk.extentEnd(i);
        }
        assertThat(pos).isEqualTo(DemoDisk.SIZE);
        assertThat(disk.extentCount()).as("one 64-bit reply holds it all").isBetween(1000, 20_000);
    }

    @Test
    void looksLikeARealDisk() {
        ExtentTotals t = disk.toExtentMap().totals();
        long data = t.bytes()[ExtentKind.DATA.ordinal()];
        long zero = t.bytes()[ExtentKind.ZERO.ordinal()];
        assertThat(data).as("a few GiB of data").isBetween(2L << 30, 6L << 30);
        assertThat(zero).as("the journal: allocated, written with zeroes").isEqualTo((1L << 30) - 4096);
        assertThat(t.bytes()[ExtentKind.HOLE.ordinal()]).isGreaterThan(1000L << 30);
        assertThat(disk.statusAt(0)).isZero();
        assertThat(disk.statusAt(DemoDisk.SIZE - 1)).as("the backup GPT at the very end").isZero();
        assertThat(disk.statusAt(DemoDisk.SIZE - 1L - (1 << 20))).isEqualTo(3);
        // runs of many sizes: from 4 KiB to hundreds of MiB
        long min = Long.MAX_VALUE;
        long max = 0;
        for (DemoExtent e : disk.extents()) {
            if (e.status() != 0) continue;
            min = Math.min(min, e.length());
            max = Math.max(max, e.length());
        }
        assertThat(min).isEqualTo(4096);
        assertThat(max).isGreaterThanOrEqualTo(256L << 20);
        assertThat(disk.regions()).extracting(DemoRegion::name)
            .containsExactly("partition table", "EFI system partition", "root file system", "ext4 journal", "swap", "backup GPT");
    }

    @Test
    void partitionTableIsAValidGpt() {
        ByteBuffer mbr = read(0, 512);
        assertThat(mbr.get(450) & 0xFF).isEqualTo(0xEE);
        assertThat(mbr.getShort(510) & 0xFFFF).isEqualTo(0xAA55);
        ByteBuffer header = read(512, 512);
        assertThat(StandardCharsets.US_ASCII.decode(header.slice(0, 8)).toString()).isEqualTo("EFI PART");
        byte[] h = new byte[92];
        header.get(0, h);
        int crc = header.getInt(16);
        h[16] = h[17] = h[18] = h[19] = 0;
        assertThat(crc32(h)).isEqualTo(crc);
        ByteBuffer entries = read(1024, 128 * 128);
        assertThat(crc32(entries.array())).isEqualTo(header.getInt(88));
        long lastLba = DemoDisk.SIZE / 512 - 1;
        assertThat(header.getLong(32)).isEqualTo(lastLba);
        ByteBuffer backup = read(lastLba * 512, 512);
        assertThat(StandardCharsets.US_ASCII.decode(backup.slice(0, 8)).toString()).isEqualTo("EFI PART");
        assertThat(backup.getLong(24)).isEqualTo(lastLba);
        String name = new String(entries.array(), 128 + 56, 26, StandardCharsets.UTF_16LE);
        assertThat(name).isEqualTo("nbdscope-root");
        long rootStart = entries.getLong(128 + 32) * 512;
        assertThat(read(rootStart + 1024, 1024).getShort(56) & 0xFFFF).as("ext4 magic").isEqualTo(0xEF53);
    }

    private static int crc32(byte[] b) {
        CRC32 c = new CRC32();
        c.update(b);
        return (int) c.getValue();
    }

    @Test
    void contentIsDeterministicAndHolesReadAsZero() {
        int data = -1;
        for (int i = 0; i < disk.extentCount(); i++) {
            if (disk.extentStatus(i) == 0 && disk.extentEnd(i) - disk.extentStart(i) >= 1 << 20 && disk.extentStart(i) > 1L << 30) {
                data = i;
                break;
            }
        }
        long at = disk.extentStart(data) + 13;
        ByteBuffer a = read(at, 100_000);
        ByteBuffer b = read(at, 100_000);
        assertThat(a).isEqualTo(b);
        assertThat(DemoDisk.generate(DemoDisk.DEFAULT_SEED).extents()).isEqualTo(disk.extents());
        ByteBuffer shifted = read(at + 5, 10);
        for (int i = 0; i < 10; i++) assertThat(shifted.get(i)).isEqualTo(a.get(5 + i));
        long nonZero = 0;
        for (int i = 0; i < a.limit(); i++) if (a.get(i) != 0) nonZero++;
        assertThat(nonZero).as("data looks random").isGreaterThan(99_000);
        ByteBuffer hole = read(1L << 39, 65536);
        while (hole.hasRemaining()) assertThat(hole.get()).isZero();
        ByteBuffer across = read(disk.extentEnd(data) - 8, 16);
        assertThat(across.getLong(8)).as("after the data run").isZero();
        assertThat(DemoDisk.generate(7).extents()).isNotEqualTo(disk.extents());
    }

    @Test
    void extentMapMatchesTheLayoutAndMemoryStaysSmall() {
        ExtentMap m = disk.toExtentMap();
        assertThat(m.complete()).isTrue();
        assertThat(m.count()).isEqualTo(disk.extentCount());
        assertThat(disk.memoryBytes()).isLessThan(1 << 20);
    }
}
