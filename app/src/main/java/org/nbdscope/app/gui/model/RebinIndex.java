package org.nbdscope.app.gui.model;

import java.util.Arrays;

import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;

/**
 * Cumulative bytes per kind at every {@value #BLOCK}-th extent of an {@link ExtentMap}, so a heat-map can
 * be rebinned in time that depends on the number of cells, not of extents: the bytes of each kind up to
 * any offset are a block's sums plus at most {@value #BLOCK} extents. Gives the same shares as
 * {@link ExtentMap#rebin}. Grows incrementally as the scan appends ({@link #update()}), costs 32 bytes per
 * block (one byte per extent), and reads the map under its own lock so each rebin sees one consistent map.
 */
public final class RebinIndex {
    /** Extents per indexed block. */
    public static final int BLOCK = 32;

    private final ExtentMap map;
    /** Per block k (extent k * BLOCK): data, zero and hole bytes before it. */
    private long[] sums = new long[3 * 64];
    private int blocks;
    private int next;
    private final long[] running = new long[3];
    private final long[] a = new long[3];
    private final long[] b = new long[3];

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
                if (k >= 0) running[k] += map.length(next);
            }
        }
    }

    private void record() {
        if (3 * (blocks + 1) > sums.length) sums = Arrays.copyOf(sums, sums.length * 2);
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
        int i = map.indexOf(end - 1);
        int k = Math.min(i / BLOCK, blocks - 1);
        int j;
        if (k < 0) {
            into[0] = into[1] = into[2] = 0;
            j = 0;
        } else {
            System.arraycopy(sums, 3 * k, into, 0, 3);
            j = k * BLOCK;
        }
        for (; j < i; j++) {
            int kd = kind(map.status(j));
            if (kd >= 0) into[kd] += map.start(j + 1) - map.start(j);
        }
        int kd = kind(map.status(i));
        if (kd >= 0) into[kd] += end - map.start(i);
    }

    /** 0, 1, 2 for data, zero, hole; -1 for unknown. */
    private static int kind(int status) {
        ExtentKind k = ExtentKind.of(status);
        return k == ExtentKind.UNKNOWN ? -1 : k.ordinal();
    }
}
