package org.nbdscope.engine.extent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * What changed between two scans of the same disk: the regions whose {@link ExtentKind} differs (hole to
 * data, data to hole, allocated zero to data, …), in offset order, adjacent regions with the same transition
 * merged, plus bytes and regions per transition. Ranges a map does not cover count as
 * {@link ExtentKind#UNKNOWN}; changes to or from unknown are listed but kept apart from
 * {@link #knownChangedBytes()}. Immutable; built in time linear in the extents of both maps.
 */
public final class ExtentDiff {
    private static final int K = ExtentKind.values().length;
    private static final ExtentKind[] KINDS = ExtentKind.values();

    /** Bytes and regions of one transition. */
    public record Transition(ExtentKind from, ExtentKind to, long bytes, long regions) {
        /** E.g. "hole -> data". */
        public String label() { return word(from) + " -> " + word(to); }
    }

    private final long size;
    private final long[] starts;
    private final long[] lengths;
    private final byte[] from;
    private final byte[] to;
    private final int count;
    private final long[] bytes = new long[K * K];
    private final long[] regions = new long[K * K];

    private ExtentDiff(long size, long[] starts, long[] lengths, byte[] from, byte[] to, int count) {
        this.size = size;
        this.starts = starts;
        this.lengths = lengths;
        this.from = from;
        this.to = to;
        this.count = count;
        for (int i = 0; i < count; i++) {
            bytes[from[i] * K + to[i]] += lengths[i];
            regions[from[i] * K + to[i]]++;
        }
    }

    /**
     * The difference from {@code before} to {@code after}.
     *
     * @throws IllegalArgumentException when the maps are of different sizes (the disk was resized)
     */
    public static ExtentDiff of(ExtentMap before, ExtentMap after) {
        if (before.size() != after.size()) {
            throw new IllegalArgumentException("cannot compare scans of different sizes: " + before.size() + " and " + after.size() + " bytes");
        }
        long size = before.size();
        long[] as, bs;
        int[] ast, bst;
        long ac, bc;
        synchronized (before) {
            as = before.startsCopy();
            ast = before.statusCopy();
            ac = before.covered();
        }
        synchronized (after) {
            bs = after.startsCopy();
            bst = after.statusCopy();
            bc = after.covered();
        }
        int cap = 16;
        long[] starts = new long[cap], lengths = new long[cap];
        byte[] fk = new byte[cap], tk = new byte[cap];
        int n = 0;
        int i = 0, j = 0;
        long p = 0;
        while (p < size) {
            long ae = i < as.length ? (i + 1 < as.length ? as[i + 1] : ac) : size;
            long be = j < bs.length ? (j + 1 < bs.length ? bs[j + 1] : bc) : size;
            int ka = i < as.length ? ExtentKind.of(ast[i]).ordinal() : ExtentKind.UNKNOWN.ordinal();
            int kb = j < bs.length ? ExtentKind.of(bst[j]).ordinal() : ExtentKind.UNKNOWN.ordinal();
            long e = Math.min(ae, be);
            if (ka != kb) {
                if (n > 0 && fk[n - 1] == ka && tk[n - 1] == kb && starts[n - 1] + lengths[n - 1] == p) {
                    lengths[n - 1] += e - p;
                } else {
                    if (n == cap) {
                        cap = cap + (cap >> 1);
                        starts = Arrays.copyOf(starts, cap);
                        lengths = Arrays.copyOf(lengths, cap);
                        fk = Arrays.copyOf(fk, cap);
                        tk = Arrays.copyOf(tk, cap);
                    }
                    starts[n] = p;
                    lengths[n] = e - p;
                    fk[n] = (byte) ka;
                    tk[n] = (byte) kb;
                    n++;
                }
            }
            p = e;
            if (ae == e && i < as.length) i++;
            if (be == e && j < bs.length) j++;
        }
        return new ExtentDiff(size, Arrays.copyOf(starts, n), Arrays.copyOf(lengths, n), Arrays.copyOf(fk, n), Arrays.copyOf(tk, n), n);
    }

    public long size() { return size; }

    /** Changed regions. */
    public int count() { return count; }

    public boolean isEmpty() { return count == 0; }

    public long start(int i) { check(i); return starts[i]; }

    public long length(int i) { check(i); return lengths[i]; }

    public ExtentKind from(int i) { check(i); return KINDS[from[i]]; }

    public ExtentKind to(int i) { check(i); return KINDS[to[i]]; }

    /** Copies of the compact arrays: starts, lengths, and kinds as {@link ExtentKind#ordinal()} bytes. */
    public long[] startsCopy() { return starts.clone(); }

    public long[] lengthsCopy() { return lengths.clone(); }

    public byte[] fromKindsCopy() { return from.clone(); }

    public byte[] toKindsCopy() { return to.clone(); }

    /** Bytes that went from {@code a} to {@code b}. */
    public long bytes(ExtentKind a, ExtentKind b) { return bytes[a.ordinal() * K + b.ordinal()]; }

    /** Regions that went from {@code a} to {@code b}. */
    public long regions(ExtentKind a, ExtentKind b) { return regions[a.ordinal() * K + b.ordinal()]; }

    /** Every byte whose kind differs, unknown included. */
    public long changedBytes() {
        long s = 0;
        for (long b : bytes) s += b;
        return s;
    }

    /** Bytes known in both scans whose kind differs. */
    public long knownChangedBytes() {
        long s = 0;
        for (ExtentKind a : KINDS) {
            for (ExtentKind b : KINDS) {
                if (a != ExtentKind.UNKNOWN && b != ExtentKind.UNKNOWN) s += bytes(a, b);
            }
        }
        return s;
    }

    /** The transitions that happened, most bytes first. */
    public List<Transition> transitions() {
        List<Transition> out = new ArrayList<>();
        for (ExtentKind a : KINDS) {
            for (ExtentKind b : KINDS) {
                if (regions(a, b) > 0) out.add(new Transition(a, b, bytes(a, b), regions(a, b)));
            }
        }
        out.sort(Comparator.comparingLong(Transition::bytes).reversed().thenComparing(t -> t.from().ordinal() * K + t.to().ordinal()));
        return out;
    }

    /** Index of the changed region holding {@code offset}, or -1. */
    public int indexOf(long offset) {
        int i = Arrays.binarySearch(starts, 0, count, offset);
        if (i < 0) i = -i - 2;
        return i >= 0 && offset < starts[i] + lengths[i] ? i : -1;
    }

    /**
     * The changed share of each of {@code bins} equal cells of {@code [rangeFrom, rangeTo)}, cut exactly as
     * {@link ExtentMap#rebin} cuts it, into {@code out[0..bins)}: 0 where nothing changed, 1 where all did
     * (changes to or from unknown included). O(bins + regions in range).
     */
    public void rebin(long rangeFrom, long rangeTo, int bins, float[] out) {
        if (bins <= 0 || rangeTo <= rangeFrom) throw new IllegalArgumentException("empty range " + rangeFrom + ".." + rangeTo + " in " + bins + " bins");
        Arrays.fill(out, 0, bins, 0f);
        double width = (double) (rangeTo - rangeFrom) / bins;
        int i = Arrays.binarySearch(starts, 0, count, rangeFrom);
        if (i < 0) i = Math.max(0, -i - 2);
        for (int b = 0; b < bins; b++) {
            long b0 = rangeFrom + (long) Math.floor(b * width);
            long b1 = b + 1 == bins ? rangeTo : rangeFrom + (long) Math.floor((b + 1) * width);
            if (b1 <= b0) b1 = b0 + 1;
            while (i > 0 && starts[i] > b0) i--;
            long changed = 0;
            int k = i;
            while (k < count && starts[k] < b1) {
                long lo = Math.max(starts[k], b0), hi = Math.min(starts[k] + lengths[k], b1);
                if (hi > lo) changed += hi - lo;
                if (starts[k] + lengths[k] > b1) break;
                k++;
            }
            i = Math.min(k, Math.max(0, count - 1));
            out[b] = (float) ((double) changed / (b1 - b0));
        }
    }

    private void check(int i) {
        if (i < 0 || i >= count) throw new IndexOutOfBoundsException("region " + i + " of " + count);
    }

    /** "data", "zero", "hole", "unknown". */
    public static String word(ExtentKind k) {
        return k.name().toLowerCase(java.util.Locale.ROOT);
    }
}
