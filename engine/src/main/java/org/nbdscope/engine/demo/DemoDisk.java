package org.nbdscope.engine.demo;

import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.proto.BlockStatusFlags;

/**
 * The built-in demo disk: 1 TiB of virtual size that looks like a real, lightly used Linux disk, generated
 * deterministically from a seed. It is read-only; write tests use a {@code memory:} export instead.
 *
 * <p>Layout (with the default seed; every offset is 4 KiB aligned):
 * <ul>
 *   <li>a protective MBR and primary GPT in the first 20 KiB;</li>
 *   <li>partition 1, an EFI system partition (FAT32, 512 MiB at 1 MiB): reserved sectors and FATs, then
 *       the boot loader files;</li>
 *   <li>partition 2, an ext4 root file system filling the middle: group 0 with its superblock and group
 *       descriptors, backup superblocks in groups 1 and the powers of 3, 5 and 7, block and inode bitmaps
 *       at the start of every flex group of 16 (every 2 GiB), a 1 GiB journal in the middle that is
 *       allocated but written with zeroes (status {@code zero} without {@code hole}), and a few GiB of
 *       files in runs from 4 KiB to hundreds of MiB, clustered like directories;</li>
 *   <li>partition 3, 8 GiB of swap with only its signature page written;</li>
 *   <li>the backup GPT in the last 20 KiB, so a client must look at the very end.</li>
 * </ul>
 * Everything else is a hole. A 32-bit client needs at least 256 block-status requests to map it; one
 * 64-bit request covers it (its extent count is far below any descriptor cap). Data reads return
 * deterministic pseudo-random bytes; only the partition and file-system structures are held in memory.
 */
public final class DemoDisk {
    public static final long SIZE = 1L << 40;
    /** "nbdscope" in ASCII. */
    public static final long DEFAULT_SEED = 0x6e626473636f7065L;

    static final long KiB = 1L << 10;
    static final long MiB = 1L << 20;
    static final long GiB = 1L << 30;
    static final long GROUP = 128 * MiB;
    private static final int DATA = 0;
    private static final int ZERO = BlockStatusFlags.STATE_ZERO;

    private static volatile DemoDisk standard;

    private final long seed;
    private final long[] starts;
    private final int[] status;
    private final List<DemoRegion> regions;
    private final DemoContent content;

    private DemoDisk(long seed, long[] starts, int[] status, List<DemoRegion> regions, DemoContent content) {
        this.seed = seed;
        this.starts = starts;
        this.status = status;
        this.regions = List.copyOf(regions);
        this.content = content;
    }

    /** The demo disk with {@link #DEFAULT_SEED}, generated once. */
    public static DemoDisk standard() {
        DemoDisk d = standard;
        if (d == null) {
            synchronized (DemoDisk.class) {
                d = standard;
                if (d == null) standard = d = generate(DEFAULT_SEED);
            }
        }
        return d;
    }

    public long size() { return SIZE; }

    public long seed() { return seed; }

    /** Named parts of the layout, in offset order. */
    public List<DemoRegion> regions() { return regions; }

    public int extentCount() { return starts.length; }

    /** The known layout, merged (no two neighbours share a status), covering the whole disk. */
    public List<DemoExtent> extents() {
        return new AbstractList<>() {
            @Override public DemoExtent get(int i) { return new DemoExtent(starts[i], extentEnd(i) - starts[i], status[i]); }

            @Override public int size() { return starts.length; }
        };
    }

    /** The known layout as a complete {@link ExtentMap} (for heat-map comparisons). */
    public ExtentMap toExtentMap() {
        ExtentMap m = new ExtentMap(SIZE);
        for (int i = 0; i < starts.length; i++) m.append(starts[i], extentEnd(i) - starts[i], status[i]);
        return m;
    }

    /** Index of the extent holding {@code offset} (0 &lt;= offset &lt; size). */
    public int indexOf(long offset) {
        if (offset < 0 || offset >= SIZE) throw new IndexOutOfBoundsException("offset " + offset + " is outside the demo disk");
        int i = Arrays.binarySearch(starts, offset);
        return i >= 0 ? i : -i - 2;
    }

    public long extentStart(int i) { return starts[i]; }

    public long extentEnd(int i) { return i + 1 < starts.length ? starts[i + 1] : SIZE; }

    public int extentStatus(int i) { return status[i]; }

    /** The {@code base:allocation} status at {@code offset}. */
    public int statusAt(long offset) { return status[indexOf(offset)]; }

    /** Bytes the disk holds in memory for its structures and layout (its whole memory cost). */
    public long memoryBytes() {
        return content.overlayBytes() + starts.length * 12L;
    }

    /** Fills {@code dst} from its position to its limit with the disk's bytes at {@code offset}. */
    public void read(long offset, ByteBuffer dst) {
        if (offset < 0 || dst.remaining() > SIZE - offset) {
            throw new IndexOutOfBoundsException("read of " + dst.remaining() + " bytes at " + offset + " runs past the demo disk");
        }
        if (dst.hasRemaining()) content.read(this, offset, dst);
    }

    /** Generates the demo disk for {@code seed}; the same seed always gives the same disk. */
    public static DemoDisk generate(long seed) {
        LayoutBuilder layout = new LayoutBuilder(SIZE);
        DemoContent content = new DemoContent(seed);
        List<DemoRegion> regions = new ArrayList<>();
        Mix.Stream rnd = new Mix.Stream(seed);

        long lastLba = SIZE / DemoStructures.SECTOR - 1;
        long p1 = MiB;
        long p1End = p1 + 512 * MiB;
        long p3End = SIZE - MiB;
        long p3 = p3End - 8 * GiB;
        long p2 = p1End;
        long p2End = p3;

        UUID diskGuid = DemoStructures.uuid(seed, 1);
        UUID fsUuid = DemoStructures.uuid(seed, 2);
        byte[] entries = DemoStructures.gptEntries(
            new DemoStructures.Partition(DemoStructures.ESP_TYPE, DemoStructures.uuid(seed, 3), p1 / 512, p1End / 512 - 1, "EFI System Partition"),
            new DemoStructures.Partition(DemoStructures.LINUX_FS_TYPE, DemoStructures.uuid(seed, 4), p2 / 512, p2End / 512 - 1, "nbdscope-root"),
            new DemoStructures.Partition(DemoStructures.LINUX_SWAP_TYPE, DemoStructures.uuid(seed, 5), p3 / 512, p3End / 512 - 1, "swap"));

        // partition table at the start
        layout.add(0, 20 * KiB, DATA);
        content.quiet(0, 20 * KiB);
        content.overlay(0, DemoStructures.protectiveMbr(lastLba + 1));
        content.overlay(512, DemoStructures.gptHeader(true, lastLba, diskGuid, entries));
        content.overlay(1024, entries);
        regions.add(new DemoRegion("partition table", 0, 20 * KiB, "protective MBR and primary GPT"));

        esp(layout, content, rnd, p1, p1End, (int) Mix.word(seed, 7));
        regions.add(new DemoRegion("EFI system partition", p1, p1End - p1, "partition 1, FAT32, boot loader files"));

        long[] journal = ext4(layout, content, rnd, p2, p2End, fsUuid, seed);
        regions.add(new DemoRegion("root file system", p2, p2End - p2, "partition 2, ext4 with flex_bg, files in runs of many sizes"));
        regions.add(new DemoRegion("ext4 journal", journal[0], journal[1], "allocated, written with zeroes"));

        layout.add(p3, 4 * KiB, DATA);
        content.quiet(p3, 4 * KiB);
        content.overlay(p3, DemoStructures.swapPage((p3End - p3) / 4096, DemoStructures.uuid(seed, 6)));
        regions.add(new DemoRegion("swap", p3, p3End - p3, "partition 3, only the signature page written"));

        long backupEntries = (lastLba - DemoStructures.GPT_ENTRY_SECTORS) * 512;
        layout.add(SIZE - 20 * KiB, 20 * KiB, DATA);
        content.quiet(SIZE - 20 * KiB, 20 * KiB);
        content.overlay(backupEntries, entries);
        content.overlay(lastLba * 512, DemoStructures.gptHeader(false, lastLba, diskGuid, entries));
        regions.add(new DemoRegion("backup GPT", SIZE - 20 * KiB, 20 * KiB, "backup partition entries and header in the last sectors"));

        regions.sort((a, b) -> Long.compare(a.offset(), b.offset()));
        Object[] built = layout.build();
        return new DemoDisk(seed, (long[]) built[0], (int[]) built[1], regions, content);
    }

    /** FAT32: reserved sectors and two FATs (mostly zero), then the boot loader files. */
    private static void esp(LayoutBuilder layout, DemoContent content, Mix.Stream rnd, long p1, long p1End, int volumeId) {
        int reserved = 32;
        long sectors = (p1End - p1) / 512;
        int fatSectors = (int) (((sectors - reserved) / 8 + 2) * 4 / 512 + 1);
        long metaBytes = (reserved + 2L * fatSectors) * 512;
        long metaLen = (metaBytes + 4095) & ~4095L;
        layout.add(p1, metaLen, DATA);
        content.quiet(p1, metaLen);
        content.overlay(p1, DemoStructures.fat32BootSector(p1 / 512, sectors, fatSectors, reserved, volumeId));
        content.overlay(p1 + 512, DemoStructures.fat32FsInfo((sectors - reserved - 2L * fatSectors) / 8 - 2000, 2000));
        content.overlay(p1 + 6 * 512, DemoStructures.fat32BootSector(p1 / 512, sectors, fatSectors, reserved, volumeId));
        content.overlay(p1 + reserved * 512L, DemoStructures.fatHead());
        content.overlay(p1 + (reserved + (long) fatSectors) * 512, DemoStructures.fatHead());
        long pos = p1 + metaLen;
        long[] files = {4 * KiB, 944 * KiB, 12 * KiB, 948 * KiB, 2600 * KiB, 856 * KiB, 84 * KiB, 4 * KiB, 160 * KiB, 1400 * KiB};
        for (long f : files) {
            layout.add(pos, f, DATA);
            pos += f + (1 + rnd.below(4)) * 64 * KiB;
        }
    }

    /**
     * ext4 with 4 KiB blocks, 128 MiB groups and flex groups of 16. Returns the journal's offset and length.
     */
    private static long[] ext4(LayoutBuilder layout, DemoContent content, Mix.Stream rnd, long p2, long p2End, UUID fsUuid, long seed) {
        long blocks = (p2End - p2) / 4096;
        long groups = (blocks + 32767) / 32768;
        long gdtBytes = (((groups * 64) + 4095) & ~4095L);
        long sbAndGdt = 4 * KiB + gdtBytes;
        long reservedGdt = 1024 * 4 * KiB;
        long freeBlocks = blocks * 9 / 10;
        for (long g = 0; g < groups; g++) {
            if (!hasSuperblockBackup(g)) continue;
            long at = p2 + g * GROUP;
            layout.add(at, sbAndGdt, DATA);
            layout.add(at + sbAndGdt, reservedGdt, LayoutBuilder.RESERVED);
            content.quiet(at, 4 * KiB);
            content.overlay(g == 0 ? at + 1024 : at, DemoStructures.ext4Superblock(blocks, groups, (int) g, fsUuid, freeBlocks, (int) seed));
        }
        long itableBytes = 16 * 2 * MiB;
        long afterItables = 0;
        for (long g = 0; g < groups; g += 16) {
            long at = p2 + g * GROUP + (hasSuperblockBackup(g) ? sbAndGdt + reservedGdt : 0);
            layout.add(at, 128 * KiB, DATA); // block and inode bitmaps of 16 groups
            long itable = at + 128 * KiB;
            long itableLen = Math.min(itableBytes, p2End - itable);
            if (g == 0) {
                layout.add(itable, 512 * KiB, DATA); // the first inodes are in use
                layout.add(itable + 512 * KiB, itableLen - 512 * KiB, LayoutBuilder.RESERVED);
                afterItables = itable + itableLen;
            } else {
                layout.add(itable, itableLen, LayoutBuilder.RESERVED);
            }
        }
        layout.add(afterItables, 32 * KiB, DATA); // root directory, lost+found

        long journalGroup = 16 * (groups / 32) + 1;
        long journal = p2 + journalGroup * GROUP;
        long journalLen = GiB;
        layout.add(journal, 4 * KiB, DATA);
        layout.add(journal + 4 * KiB, journalLen - 4 * KiB, ZERO);
        content.quiet(journal, 4 * KiB);
        content.overlay(journal, DemoStructures.journalSuperblock(journalLen / 4096, fsUuid));

        // a few large files first, then many small ones clustered like directories
        long[] clusters = new long[40];
        for (int i = 0; i < clusters.length; i++) clusters[i] = p2 + rnd.below(groups) * GROUP;
        long[] big = {768 * MiB, 512 * MiB, 300 * MiB, 200 * MiB};
        for (long len : big) place(layout, rnd, clusters, len, p2End, 64 * GiB);
        for (int i = 0; i < 1500; i++) {
            int k = 0;
            while (k < 15 && rnd.unit() < 0.65) k++;
            long len = (4 * KiB << k) * (1 + rnd.below(4));
            place(layout, rnd, clusters, len, p2End, 2 * GiB);
        }
        return new long[] {journal, journalLen};
    }

    private static void place(LayoutBuilder layout, Mix.Stream rnd, long[] clusters, long len, long limit, long spread) {
        for (int attempt = 0; attempt < 50; attempt++) {
            long c = clusters[(int) rnd.below(clusters.length)];
            long at = c + rnd.below(spread / 4096) * 4096;
            if (at + len <= limit && layout.tryAdd(at, len, DATA)) return;
        }
    }

    /** sparse_super: groups 0, 1 and the powers of 3, 5 and 7 carry superblock backups. */
    static boolean hasSuperblockBackup(long g) {
        if (g <= 1) return true;
        for (long base : new long[] {3, 5, 7}) {
            long p = base;
            while (p < g) p *= base;
            if (p == g) return true;
        }
        return false;
    }
}
