package org.nbdscope.engine.demo;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import org.nbdscope.engine.proto.BlockStatusFlags;

/** Collects non-overlapping allocations, then fills the gaps with holes and merges equal neighbours. */
final class LayoutBuilder {
    /** Reserved: kept free of files but reported as a hole (lazily initialised inode tables, reserved GDT). */
    static final int RESERVED = -1;

    private final long size;
    private final TreeMap<Long, long[]> allocations = new TreeMap<>();

    LayoutBuilder(long size) { this.size = size; }

    boolean free(long start, long end) {
        if (start < 0 || end > size || start >= end) return false;
        Map.Entry<Long, long[]> before = allocations.floorEntry(start);
        if (before != null && before.getValue()[0] > start) return false;
        Long next = allocations.ceilingKey(start);
        return next == null || next >= end;
    }

    void add(long start, long length, int status) {
        if (!free(start, start + length)) {
            throw new IllegalStateException("demo layout: [" + start + ", " + (start + length) + ") overlaps an earlier allocation");
        }
        allocations.put(start, new long[] {start + length, status});
    }

    boolean tryAdd(long start, long length, int status) {
        if (!free(start, start + length)) return false;
        allocations.put(start, new long[] {start + length, status});
        return true;
    }

    /** Extent starts and statuses covering {@code [0, size)}; {@code out[0]} starts, {@code out[1]} statuses. */
    Object[] build() {
        long[] starts = new long[allocations.size() * 2 + 1];
        int[] status = new int[starts.length];
        int n = 0;
        long pos = 0;
        int hole = BlockStatusFlags.STATE_HOLE | BlockStatusFlags.STATE_ZERO;
        for (Map.Entry<Long, long[]> e : allocations.entrySet()) {
            long start = e.getKey();
            long end = e.getValue()[0];
            int st = (int) e.getValue()[1] == RESERVED ? hole : (int) e.getValue()[1];
            if (start > pos) n = append(starts, status, n, pos, hole);
            n = append(starts, status, n, start, st);
            pos = end;
        }
        if (pos < size) n = append(starts, status, n, pos, hole);
        return new Object[] {Arrays.copyOf(starts, n), Arrays.copyOf(status, n)};
    }

    private static int append(long[] starts, int[] status, int n, long start, int st) {
        if (n > 0 && status[n - 1] == st) return n;
        starts[n] = start;
        status[n] = st;
        return n + 1;
    }
}
