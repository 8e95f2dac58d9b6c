package org.nbdscope.engine.demo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * The on-disk structures that make the demo disk look real to partitioning and file-system tools: a
 * protective MBR, primary and backup GPT, a FAT32 boot sector with its FSInfo and FAT heads, ext4
 * superblocks, a jbd2 journal superblock and a swap signature. Each is a small byte array placed over
 * the disk's content.
 */
final class DemoStructures {
    private DemoStructures() {}

    static final int SECTOR = 512;
    static final int GPT_ENTRIES = 128;
    static final int GPT_ENTRY_SIZE = 128;
    /** Sectors of one GPT entry array: 128 x 128 bytes. */
    static final int GPT_ENTRY_SECTORS = GPT_ENTRIES * GPT_ENTRY_SIZE / SECTOR;

    static final UUID ESP_TYPE = UUID.fromString("c12a7328-f81f-11d2-ba4b-00a0c93ec93b");
    static final UUID LINUX_FS_TYPE = UUID.fromString("0fc63daf-8483-4772-8e79-3d69e47d7de4");
    static final UUID LINUX_SWAP_TYPE = UUID.fromString("0657fd6d-a4ab-43c4-84e5-0933c84b4f4f");

    record Partition(UUID type, UUID unique, long firstLba, long lastLba, String name) {}

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    static UUID uuid(long seed, long salt) {
        long hi = Mix.word(seed, 0x5555_0000L + salt * 2);
        long lo = Mix.word(seed, 0x5555_0001L + salt * 2);
        hi = (hi & ~0xF000L) | 0x4000L; // version 4
        lo = (lo & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(hi, lo);
    }

    /** GUID in GPT's mixed-endian layout: the first three fields little-endian. */
    static void putGuid(ByteBuffer b, UUID u) {
        long hi = u.getMostSignificantBits();
        b.putInt((int) (hi >>> 32));
        b.putShort((short) (hi >>> 16));
        b.putShort((short) hi);
        ByteBuffer be = ByteBuffer.allocate(8).putLong(u.getLeastSignificantBits());
        b.put(be.array());
    }

    /** Sector 0: a protective MBR with one 0xEE partition covering the disk. */
    static byte[] protectiveMbr(long diskSectors) {
        ByteBuffer b = le(SECTOR);
        b.position(446);
        b.put((byte) 0).put((byte) 0).put((byte) 2).put((byte) 0); // status, CHS start 0/0/2
        b.put((byte) 0xEE).put((byte) 0xFF).put((byte) 0xFF).put((byte) 0xFF); // type, CHS end
        b.putInt(1);
        b.putInt((int) Math.min(diskSectors - 1, 0xFFFFFFFFL));
        b.position(510);
        b.put((byte) 0x55).put((byte) 0xAA);
        return b.array();
    }

    /** The 128-entry partition array (16 KiB). */
    static byte[] gptEntries(Partition... parts) {
        ByteBuffer b = le(GPT_ENTRIES * GPT_ENTRY_SIZE);
        for (int i = 0; i < parts.length; i++) {
            Partition p = parts[i];
            b.position(i * GPT_ENTRY_SIZE);
            putGuid(b, p.type());
            putGuid(b, p.unique());
            b.putLong(p.firstLba());
            b.putLong(p.lastLba());
            b.putLong(0);
            byte[] name = p.name().getBytes(StandardCharsets.UTF_16LE);
            b.put(name, 0, Math.min(name.length, 72));
        }
        return b.array();
    }

    /** A GPT header sector; {@code primary} selects the primary (LBA 1) or the backup (last LBA). */
    static byte[] gptHeader(boolean primary, long lastLba, UUID disk, byte[] entries) {
        ByteBuffer b = le(SECTOR);
        b.put("EFI PART".getBytes(StandardCharsets.US_ASCII));
        b.putInt(0x00010000);
        b.putInt(92);
        b.putInt(0); // CRC, filled below
        b.putInt(0);
        b.putLong(primary ? 1 : lastLba);
        b.putLong(primary ? lastLba : 1);
        b.putLong(2 + GPT_ENTRY_SECTORS);
        b.putLong(lastLba - 1 - GPT_ENTRY_SECTORS);
        putGuid(b, disk);
        b.putLong(primary ? 2 : lastLba - GPT_ENTRY_SECTORS);
        b.putInt(GPT_ENTRIES);
        b.putInt(GPT_ENTRY_SIZE);
        b.putInt(crc(entries, 0, entries.length));
        b.putInt(16, crc(b.array(), 0, 92));
        return b.array();
    }

    static int crc(byte[] a, int off, int len) {
        CRC32 c = new CRC32();
        c.update(a, off, len);
        return (int) c.getValue();
    }

    /** FAT32 boot sector of the EFI system partition. */
    static byte[] fat32BootSector(long hiddenSectors, long totalSectors, int fatSectors, int reserved, int volumeId) {
        ByteBuffer b = le(SECTOR);
        b.put((byte) 0xEB).put((byte) 0x58).put((byte) 0x90);
        b.put("mkfs.fat".getBytes(StandardCharsets.US_ASCII));
        b.putShort((short) SECTOR);
        b.put((byte) 8); // sectors per cluster: 4 KiB clusters
        b.putShort((short) reserved);
        b.put((byte) 2); // FATs
        b.putShort((short) 0).putShort((short) 0);
        b.put((byte) 0xF8);
        b.putShort((short) 0).putShort((short) 32).putShort((short) 64);
        b.putInt((int) hiddenSectors);
        b.putInt((int) totalSectors);
        b.putInt(fatSectors);
        b.putShort((short) 0).putShort((short) 0);
        b.putInt(2); // root cluster
        b.putShort((short) 1).putShort((short) 6); // FSInfo sector, backup boot sector
        b.position(64);
        b.put((byte) 0x80).put((byte) 0).put((byte) 0x29);
        b.putInt(volumeId);
        b.put("EFI        ".getBytes(StandardCharsets.US_ASCII));
        b.put("FAT32   ".getBytes(StandardCharsets.US_ASCII));
        b.position(510);
        b.put((byte) 0x55).put((byte) 0xAA);
        return b.array();
    }

    static byte[] fat32FsInfo(long freeClusters, long nextFree) {
        ByteBuffer b = le(SECTOR);
        b.putInt(0x41615252);
        b.putInt(484, 0x61417272);
        b.putInt(488, (int) freeClusters);
        b.putInt(492, (int) nextFree);
        b.putInt(508, 0xAA550000);
        return b.array();
    }

    /** The first FAT entries: media descriptor, end-of-chain marker, root directory end of chain. */
    static byte[] fatHead() {
        ByteBuffer b = le(12);
        b.putInt(0x0FFFFFF8).putInt(0x0FFFFFFF).putInt(0x0FFFFFF8);
        return b.array();
    }

    /** An ext4 superblock (1024 bytes) for a 4 KiB-block file system with flex_bg groups of 16. */
    static byte[] ext4Superblock(long blocks, long groups, int groupNumber, UUID fsUuid, long freeBlocks, int volumeSeed) {
        int inodesPerGroup = 8192;
        ByteBuffer b = le(1024);
        b.putInt(0, (int) Math.min(groups * inodesPerGroup, 0xFFFFFFFFL)); // s_inodes_count
        b.putInt(4, (int) blocks); // s_blocks_count_lo
        b.putInt(8, (int) (blocks / 20)); // s_r_blocks_count_lo (5 %)
        b.putInt(12, (int) freeBlocks);
        b.putInt(16, (int) (groups * inodesPerGroup - 11)); // s_free_inodes_count
        b.putInt(20, 0); // s_first_data_block
        b.putInt(24, 2); // s_log_block_size: 4 KiB
        b.putInt(28, 2); // s_log_cluster_size
        b.putInt(32, 32768); // s_blocks_per_group
        b.putInt(36, 32768); // s_clusters_per_group
        b.putInt(40, inodesPerGroup);
        b.putInt(44, 1_700_000_000 + volumeSeed % 1000); // s_mtime
        b.putInt(48, 1_700_000_000 + volumeSeed % 1000); // s_wtime
        b.putShort(52, (short) 0).putShort(54, (short) -1); // s_mnt_count, s_max_mnt_count
        b.putShort(56, (short) 0xEF53);
        b.putShort(58, (short) 1); // s_state: clean
        b.putShort(60, (short) 1); // s_errors: continue
        b.putInt(76, 1); // s_rev_level: dynamic
        b.putInt(84, 11); // s_first_ino
        b.putShort(88, (short) 256); // s_inode_size
        b.putShort(90, (short) groupNumber); // s_block_group_nr
        b.putInt(92, 0x4 | 0x8 | 0x10 | 0x20); // compat: has_journal, ext_attr, resize_inode, dir_index
        b.putInt(96, 0x2 | 0x40 | 0x80 | 0x200); // incompat: filetype, extents, 64bit, flex_bg
        b.putInt(100, 0x1 | 0x2 | 0x8 | 0x20 | 0x40); // ro_compat: sparse_super, large_file, huge_file, dir_nlink, extra_isize
        b.position(104);
        ByteBuffer be = ByteBuffer.allocate(16).putLong(fsUuid.getMostSignificantBits()).putLong(fsUuid.getLeastSignificantBits());
        b.put(be.array());
        b.put(120, "nbdscope-root".getBytes(StandardCharsets.US_ASCII));
        b.put(136, "/".getBytes(StandardCharsets.US_ASCII)); // s_last_mounted
        b.putShort(206, (short) 1024); // s_reserved_gdt_blocks
        b.putInt(224, 8); // s_journal_inum
        b.put(252, (byte) 1); // s_def_hash_version: half_md4
        b.putShort(254, (short) 64); // s_desc_size
        b.putInt(256, 0x0C); // s_default_mount_opts: user_xattr, acl
        b.putShort(348, (short) 32); // s_min_extra_isize
        b.putShort(350, (short) 32); // s_want_extra_isize
        b.put(372, (byte) 4); // s_log_groups_per_flex: 16
        return b.array();
    }

    /** jbd2 journal superblock (big-endian), 1024 bytes. */
    static byte[] journalSuperblock(long journalBlocks, UUID fsUuid) {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.BIG_ENDIAN);
        b.putInt(0xC03B3998).putInt(4).putInt(0); // magic, JBD2_SUPERBLOCK_V2, sequence
        b.putInt(4096).putInt((int) journalBlocks).putInt(1); // blocksize, maxlen, first
        b.putInt(1).putInt(0); // s_sequence, s_start (clean)
        b.position(48);
        b.put(ByteBuffer.allocate(16).putLong(fsUuid.getMostSignificantBits()).putLong(fsUuid.getLeastSignificantBits()).array());
        b.putInt(64, 1); // s_nr_users
        return b.array();
    }

    /** The swap signature page's header fields (at 1024) and magic (at 4086), as a 4 KiB page. */
    static byte[] swapPage(long pages, UUID uuid) {
        ByteBuffer b = le(4096);
        b.putInt(1024, 1); // version
        b.putInt(1028, (int) Math.min(pages - 1, 0xFFFFFFFFL)); // last_page
        b.putInt(1032, 0); // nr_badpages
        b.position(1036);
        b.put(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits()).array());
        b.put(1052, "swap".getBytes(StandardCharsets.US_ASCII));
        b.put(4086, "SWAPSPACE2".getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }
}
