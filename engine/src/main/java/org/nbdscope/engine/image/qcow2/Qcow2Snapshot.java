package org.nbdscope.engine.image.qcow2;

import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.nbdscope.engine.image.ImageException;
import org.nbdscope.engine.image.ImageFile;

/**
 * One internal snapshot from the snapshot table.
 *
 * @param vmStateSize bytes of saved VM state (0 for a disk-only snapshot)
 * @param diskSize    the virtual disk size when the snapshot was taken, or -1 when the entry does not say
 * @param icount      instruction count, or -1 when not recorded
 */
public record Qcow2Snapshot(String id, String name, Instant date, long vmClockNanos, long vmStateSize,
                            long diskSize, long icount, long l1TableOffset, long l1Size) {
    private static final int FIXED = 40;
    /** qemu's limits: extra data per entry, and the whole table. */
    private static final long MAX_EXTRA = 1024;
    private static final long MAX_TABLE_BYTES = 1024 * Qcow2Header.MAX_SNAPSHOTS;

    /** Reads the snapshot table; the header has checked its start offset and minimum extent. */
    static List<Qcow2Snapshot> read(ImageFile file, Qcow2Header h) {
        String f = file.path().getFileName().toString();
        List<Qcow2Snapshot> out = new ArrayList<>();
        long off = h.snapshotsOffset();
        for (long i = 0; i < h.nbSnapshots(); i++) {
            off = (off + 7) & ~7L;
            if (off - h.snapshotsOffset() > MAX_TABLE_BYTES) {
                throw new ImageException(f + ": the snapshot table is larger than " + MAX_TABLE_BYTES + " bytes at entry " + i);
            }
            String what = "snapshot table entry " + i;
            MemorySegment e = file.read(off, FIXED, what);
            long l1Offset = Be.u64(e, 0);
            long l1Size = Be.u32(e, 8);
            int idSize = Be.u16(e, 12);
            int nameSize = Be.u16(e, 14);
            long dateSec = Be.u32(e, 16);
            long dateNsec = Be.u32(e, 20);
            long vmClock = Be.u64(e, 24);
            long vmState = Be.u32(e, 32);
            long extraSize = Be.u32(e, 36);
            off += FIXED;
            if (extraSize > MAX_EXTRA) {
                throw new ImageException(f + ": " + what + " has extra_data_size " + extraSize + "; at most " + MAX_EXTRA + " bytes are allowed");
            }
            long diskSize = -1, icount = -1;
            if (extraSize > 0) {
                MemorySegment x = file.read(off, extraSize, what + " extra data");
                if (extraSize >= 8) vmState = Be.u64(x, 0);
                if (extraSize >= 16) diskSize = Be.u64(x, 8);
                if (extraSize >= 24) icount = Be.u64(x, 16);
                off += extraSize;
            }
            String id = Be.string(file.read(off, idSize, what + " id"), 0, idSize);
            off += idSize;
            String name = Be.string(file.read(off, nameSize, what + " name"), 0, nameSize);
            off += nameSize;
            if (dateNsec >= 1_000_000_000L) dateNsec = 0;
            out.add(new Qcow2Snapshot(id, name, Instant.ofEpochSecond(dateSec, dateNsec), vmClock, vmState, diskSize,
                icount, l1Offset, l1Size));
        }
        return List.copyOf(out);
    }
}
