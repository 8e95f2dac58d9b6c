package org.nbdscope.app.synthetic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import org.nbdscope.engine.proto.BlockStatusFlags;

/**
 * The deterministic extent layout of {@link SyntheticDisk}: a 1 TiB disk that looks like a real one. A
 * partition table at the start, file-system metadata every 128 GiB, 4 GiB of dense data, some six hundred
 * scattered data runs of 4 KiB to 64 MiB, 64 GiB allocated but written with zeroes, a 2 GiB database file,
 * large holes, and data at the very end (a log and the backup partition table).
 */
public final class SyntheticLayout {
    public static final long KiB = 1L << 10, MiB = 1L << 20, GiB = 1L << 30, TiB = 1L << 40;

    /** {@code base:allocation} values the layout uses. */
    public static final int DATA = 0;
    public static final int ZERO = BlockStatusFlags.STATE_ZERO;
    public static final int HOLE = BlockStatusFlags.STATE_HOLE | BlockStatusFlags.STATE_ZERO;

    /** A named uniform region, for tests and for the description. */
    public record Region(String what, long from, long to, int status) {}

    /** Regions a test can rely on being uniform (all of them also exist at exactly these offsets). */
    public static final Region PARTITION_TABLE = new Region("partition table", 0, 64 * KiB, DATA);
    public static final Region SYSTEM = new Region("system files", 2 * GiB, 6 * GiB, DATA);
    public static final Region PREALLOCATED = new Region("preallocated, written with zeroes", 256 * GiB, 320 * GiB, ZERO);
    public static final Region DATABASE = new Region("database file", 512 * GiB + 8 * MiB, 514 * GiB, DATA);
    public static final Region LARGE_HOLE = new Region("unused", 640 * GiB + 64 * MiB, 768 * GiB, HOLE);
    public static final Region LOG = new Region("log near the end", TiB - 2 * GiB, TiB - GiB, DATA);
    public static final Region BACKUP_GPT = new Region("backup partition table", TiB - 64 * KiB, TiB, DATA);

    private final long size;
    private final long[] starts;
    private final int[] status;

    private SyntheticLayout(long size, long[] starts, int[] status) {
        this.size = size;
        this.starts = starts;
        this.status = status;
    }

    /** The 1 TiB demo layout. */
    public static SyntheticLayout demo() {
        TreeMap<Long, Integer> m = new TreeMap<>();
        m.put(0L, HOLE);
        long size = TiB;
        paint(m, size, PARTITION_TABLE.from(), PARTITION_TABLE.to(), DATA);
        for (int g = 0; g < 8; g++) {  // file-system group metadata: bitmaps and inode tables
            long at = MiB + g * 128 * GiB;
            paint(m, size, at, at + 32 * MiB, DATA);
        }
        paint(m, size, SYSTEM.from(), SYSTEM.to(), DATA);
        SplittableRandom rnd = new SplittableRandom(2020);
        long pos = 8 * GiB;
        while (pos < 24 * GiB) {  // user files: runs of many sizes, 4 KiB to 64 MiB, with gaps up to 256 MiB
            pos += logUniform(rnd, 4 * KiB, 256 * MiB);
            long len = logUniform(rnd, 4 * KiB, 64 * MiB);
            if (pos + len > 24 * GiB) break;
            paint(m, size, pos, pos + len, DATA);
            pos += len;
        }
        paint(m, size, PREALLOCATED.from(), PREALLOCATED.to(), ZERO);
        paint(m, size, DATABASE.from(), DATABASE.to(), DATA);
        paint(m, size, LOG.from(), LOG.to(), DATA);
        paint(m, size, BACKUP_GPT.from(), BACKUP_GPT.to(), DATA);
        return of(size, m);
    }

    /** {@code extents} equal runs alternating data and hole over {@code size} bytes (a stress layout). */
    public static SyntheticLayout stripes(long size, int extents) {
        if (extents < 1 || size < extents) throw new IllegalArgumentException(extents + " extents do not fit in " + size + " bytes");
        long[] starts = new long[extents];
        int[] status = new int[extents];
        for (int i = 0; i < extents; i++) {
            starts[i] = size / extents * i;
            status[i] = i % 2 == 0 ? DATA : HOLE;
        }
        return new SyntheticLayout(size, starts, status);
    }

    private static long logUniform(SplittableRandom rnd, long lo, long hi) {
        double v = Math.exp(Math.log(lo) + rnd.nextDouble() * (Math.log(hi) - Math.log(lo)));
        return Math.max(lo, (long) v & ~(4 * KiB - 1));
    }

    private static void paint(TreeMap<Long, Integer> m, long size, long from, long to, int st) {
        int after = m.floorEntry(to).getValue();
        m.subMap(from, true, to, false).clear();
        m.put(from, st);
        if (to < size) m.put(to, after);
    }

    private static SyntheticLayout of(long size, TreeMap<Long, Integer> m) {
        List<long[]> merged = new ArrayList<>();
        for (Map.Entry<Long, Integer> e : m.entrySet()) {
            if (!merged.isEmpty() && merged.getLast()[1] == e.getValue()) continue;
            merged.add(new long[] {e.getKey(), e.getValue()});
        }
        long[] starts = new long[merged.size()];
        int[] status = new int[merged.size()];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = merged.get(i)[0];
            status[i] = (int) merged.get(i)[1];
        }
        return new SyntheticLayout(size, starts, status);
    }

    public long size() { return size; }

    /** Number of extents (adjacent equal statuses merged). */
    public int extents() { return starts.length; }

    public long start(int i) { return starts[i]; }

    public long end(int i) { return i + 1 < starts.length ? starts[i + 1] : size; }

    public int status(int i) { return status[i]; }

    /** Index of the extent holding {@code offset}. */
    public int indexOf(long offset) {
        if (offset < 0 || offset >= size) throw new IllegalArgumentException("offset " + offset + " is outside 0.." + size);
        int i = Arrays.binarySearch(starts, offset);
        return i >= 0 ? i : -i - 2;
    }

    public int statusAt(long offset) { return status[indexOf(offset)]; }

    /** The status of {@code [from, to)} when it is uniform, else -2. */
    public int uniformStatus(long from, long to) {
        int i = indexOf(from);
        return end(i) >= to ? status[i] : -2;
    }

    /** Bytes with each status value {@link #DATA}, {@link #ZERO}, {@link #HOLE}, in that order. */
    public long[] totals() {
        long[] t = new long[3];
        for (int i = 0; i < starts.length; i++) {
            int k = status[i] == DATA ? 0 : status[i] == ZERO ? 1 : 2;
            t[k] += end(i) - starts[i];
        }
        return t;
    }
}
