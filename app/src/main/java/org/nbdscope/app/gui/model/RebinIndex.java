package org.nbdscope.app.gui.model;

import java.util.Arrays;

import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;

/**
 * Cumulative bytes per kind at every {@value #BLOCK}-th extent of an {@link ExtentMap}, so a heat-map can
 * be rebinned in time that depends on the number of cells, not of extents: the bytes of each kind up to
 * any offset are a block's sums plus at most {@value #BLOCK} extents. Gives the same shares as
 * {@link ExtentMap#rebin}. Grows incrementally as the scan appends ({@link #update()}), costs 32 bytes per
 * block (one byte per extent), and reads the map under its own lock, once per update, so each rebin sees
 * one consistent map and a streaming scanner is not fought extent by extent. It also keeps the per-kind
 * totals the legend shows. All of its state is read and written under the map's lock, so the scan's
 * thread may {@link #update()} it while the FX thread rebins.
 */
public final class RebinIndex {
    /** Extents per indexed block. */
    public static final int BLOCK = 16;

    private final ExtentMap map;
    /** Per block k (extent k * BLOCK): data, zero and hole bytes before it. */
    private long[] sums = new long[3 * 64];
    /** Per block k: the offset where extent k * BLOCK starts. */
    private long[] blockStarts = new long[64];
    private int blocks;
    private int next;
    private final long[] running = new long[3];
    private final long[] extentsByKind = new long[3];
    private final long[] a = new long[3];
    private final long[] b = new long[3];
    /** Walk position of the current rebin: extent {@code cursor} starts at {@code cursorPos}, with these sums before it. */
    private int cursor = -1;
    private long cursorPos;
    private final long[] cursorSums = new long[3];
    private int count;

    public RebinIndex(ExtentMap map) {
        this.map = map;
    }

    /** Takes in the extents appended since the last call (all but the last, which may still grow). */
    public void update() {
        synchronized (map) {
            int closed = map.count() - 1;
            for (; next < closed; next++) {
                if (next % BLOCK == 0) record();
                int k = kind(map.status(next));
                if (k >= 0) {
                    running[k] += map.length(next);
                    extentsByKind[k]++;
                }
            }
        }
    }

    /** Bytes and extents per kind, as far as {@link #update()} has seen the map plus its last extent. */
    public KindTotals totals() {
        synchronized (map) {
            long[] bytes = new long[4];
            long[] extents = new long[4];
            System.arraycopy(running, 0, bytes, 0, 3);
            System.arraycopy(extentsByKind, 0, extents, 0, 3);
            int count = map.count();
            int unknownExtents = 0;
            for (int i = next; i < count; i++) {
                int k = kind(map.status(i));
                if (k >= 0) {
                    bytes[k] += map.length(i);
                    extents[k]++;
                } else {
                    unknownExtents++;
                }
            }
            bytes[3] = map.size() - bytes[0] - bytes[1] - bytes[2];
            extents[3] = unknownExtents + unknownBefore(count);
            return new KindTotals(map.size(), bytes, extents);
        }
    }

    private long unknownBefore(int count) {
        return Math.min(next, count) - extentsByKind[0] - extentsByKind[1] - extentsByKind[2];
    }

    private void record() {
        if (blocks == blockStarts.length) {
            blockStarts = Arrays.copyOf(blockStarts, blocks * 2);
            sums = Arrays.copyOf(sums, 3 * blocks * 2);
        }
        blockStarts[blocks] = map.start(next);
        System.arraycopy(running, 0, sums, 3 * blocks, 3);
        blocks++;
    }

    /**
     * Same contract as {@link ExtentMap#rebin}: four shares per bin (data, zero, hole, unknown) over
     * {@code [from, to)} cut into {@code bins} cells. Call {@link #update()} first to index new extents.
     */
    public void rebin(long from, long to, int bins, float[] out) {
        if (bins <= 0 || to <= from) throw new IllegalArgumentException("empty range " + from + ".." + to + " in " + bins + " bins");
        synchronized (map) {
            double width = (double) (to - from) / bins;
            long covered = map.covered();
            count = map.count();
            cursor = -1;
            long prevEnd = Long.MIN_VALUE;
            for (int bin = 0; bin < bins; bin++) {
                long b0 = from + (long) Math.floor(bin * width);
                long b1 = bin + 1 == bins ? to : from + (long) Math.floor((bin + 1) * width);
                if (b1 <= b0) b1 = b0 + 1;
                if (b0 == prevEnd) System.arraycopy(b, 0, a, 0, 3);
                else cumulative(b0, covered, a);
                cumulative(b1, covered, b);
                prevEnd = b1;
                double len = b1 - b0;
                long known = 0;
                for (int k = 0; k < 3; k++) {
                    long n = b[k] - a[k];
                    out[4 * bin + k] = (float) (n / len);
                    known += n;
                }
                out[4 * bin + 3] = (float) ((len - known) / len);
            }
        }
    }

    /** Data, zero and hole bytes in {@code [0, x)}; the caller holds the map's lock. */
    private void cumulative(long x, long covered, long[] into) {
        long end = Math.min(x, covered);
        if (end <= 0) {
            into[0] = into[1] = into[2] = 0;
            return;
        }
        // start from the cursor when it is in the same block or later, else from the block holding end
        int k = blocks == 0 ? -1 : floorBlock(end);
        if (cursor < 0 || cursorPos > end || (k >= 0 && cursor < k * BLOCK)) {
            if (k < 0) {
                cursor = 0;
                cursorPos = 0;
                cursorSums[0] = cursorSums[1] = cursorSums[2] = 0;
            } else {
                cursor = k * BLOCK;
                cursorPos = blockStarts[k];
                System.arraycopy(sums, 3 * k, cursorSums, 0, 3);
            }
        }
        while (true) {
            long e = cursor + 1 < count ? map.start(cursor + 1) : covered;
            int kd = kind(map.status(cursor));
            if (e >= end) {
                System.arraycopy(cursorSums, 0, into, 0, 3);
                if (kd >= 0) into[kd] += end - cursorPos;
                return;
            }
            if (kd >= 0) cursorSums[kd] += e - cursorPos;
            cursor++;
            cursorPos = e;
        }
    }

    /** The last block starting before {@code end}. */
    private int floorBlock(long end) {
        int i = Arrays.binarySearch(blockStarts, 0, blocks, end);
        if (i >= 0) return i == 0 ? 0 : (blockStarts[i] == end ? i - 1 : i);
        return Math.max(0, -i - 2);
    }

    /** 0, 1, 2 for data, zero, hole; -1 for unknown. */
    private static int kind(int status) {
        ExtentKind k = ExtentKind.of(status);
        return k == ExtentKind.UNKNOWN ? -1 : k.ordinal();
    }
}
