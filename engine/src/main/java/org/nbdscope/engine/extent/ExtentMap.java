package org.nbdscope.engine.extent;

import java.util.Arrays;

import org.nbdscope.engine.proto.BlockStatusFlags;

/**
 * The extents of one export or image, in offset order, stored compactly: one {@code long} start and one
 * {@code int} status per extent (12 bytes), adjacent extents with equal status merged.
 *
 * <p>The map covers {@code [0, covered())} contiguously; everything past it is unknown (not scanned yet,
 * or the scan was cancelled or failed). Status {@link #UNKNOWN} may also be appended explicitly for a
 * range that could not be read. One writer appends; any thread may read. All access is synchronized,
 * which is cheap next to the network and keeps {@link #rebin} consistent while a scan streams in.
 */
public final class ExtentMap {
    /** Status of a range whose state is not known. */
    public static final int UNKNOWN = -1;

    private final long size;
    private long[] starts;
    private int[] status;
    private int count;
    private long covered;
    private long version;

    public ExtentMap(long size) {
        if (size < 0) throw new IllegalArgumentException("size " + size + " is negative");
        this.size = size;
        this.starts = new long[16];
        this.status = new int[16];
    }

    /** Rebuilds a map from its compact arrays (session files); {@code covered} is where the last extent ends. */
    public static ExtentMap of(long size, long[] starts, int[] status, int count, long covered) {
        ExtentMap m = new ExtentMap(size);
        for (int i = 0; i < count; i++) {
            long end = i + 1 < count ? starts[i + 1] : covered;
            m.append(starts[i], end - starts[i], status[i]);
        }
        return m;
    }

    /**
     * Takes over compact arrays without copying them (session files decode 10 million extents this way):
     * {@code starts[0..count)} must begin at 0 and increase strictly, the last below {@code covered <= size},
     * and neighbours must differ in status; otherwise (equal neighbours) they are merged through {@link #of}.
     * The caller gives up the arrays.
     *
     * @throws IllegalArgumentException when the arrays do not describe a map of this size
     */
    public static ExtentMap adopt(long size, long[] starts, int[] status, int count, long covered) {
        if (count < 0 || count > starts.length || count > status.length) throw new IllegalArgumentException("count " + count + " exceeds the arrays");
        if (covered < 0 || covered > size) throw new IllegalArgumentException("covered " + covered + " is outside 0.." + size);
        if ((count == 0) != (covered == 0)) throw new IllegalArgumentException(count + " extents cannot cover " + covered + " bytes");
        boolean merged = true;
        for (int i = 0; i < count; i++) {
            long end = i + 1 < count ? starts[i + 1] : covered;
            if ((i == 0 && starts[0] != 0) || end <= starts[i]) {
                throw new IllegalArgumentException("extent " + i + " at " + starts[i] + " is empty or out of order");
            }
            if (i > 0 && status[i] == status[i - 1]) merged = false;
        }
        if (!merged) return of(size, starts, status, count, covered);
        ExtentMap m = new ExtentMap(size);
        m.starts = starts;
        m.status = status;
        m.count = count;
        m.covered = covered;
        m.version = count;
        return m;
    }

    public long size() { return size; }

    /** Bytes known from offset 0 onwards. */
    public synchronized long covered() { return covered; }

    public synchronized boolean complete() { return covered == size; }

    public synchronized int count() { return count; }

    /** Grows on every append: lets a view tell whether it must redraw. */
    public synchronized long version() { return version; }

    /**
     * Appends an extent that starts exactly where the map currently ends.
     *
     * @throws IllegalArgumentException if it leaves a gap, overlaps, is empty or runs past the size
     */
    public synchronized void append(long offset, long length, int st) {
        if (offset != covered) {
            throw new IllegalArgumentException("extent at " + offset + " does not start at the end of the map, " + covered);
        }
        if (length <= 0) throw new IllegalArgumentException("extent at " + offset + " has length " + length);
        if (length > size - offset) {
            throw new IllegalArgumentException("extent at " + offset + " of length " + length + " runs past the size " + size);
        }
        if (count > 0 && status[count - 1] == st) {
            covered += length;
            version++;
            return;
        }
        if (count == starts.length) {
            int n = Math.max(16, count + (count >> 1));
            starts = Arrays.copyOf(starts, n);
            status = Arrays.copyOf(status, n);
        }
        starts[count] = offset;
        status[count] = st;
        count++;
        covered += length;
        version++;
    }

    /** Marks everything not yet covered as {@link #UNKNOWN}. */
    public synchronized void fillUnknown() {
        if (covered < size) append(covered, size - covered, UNKNOWN);
    }

    public synchronized long start(int i) {
        check(i);
        return starts[i];
    }

    public synchronized long length(int i) {
        check(i);
        return (i + 1 < count ? starts[i + 1] : covered) - starts[i];
    }

    public synchronized int status(int i) {
        check(i);
        return status[i];
    }

    /** Index of the extent holding {@code offset}, or -1 when the offset is not covered. */
    public synchronized int indexOf(long offset) {
        if (offset < 0 || offset >= covered) return -1;
        int i = Arrays.binarySearch(starts, 0, count, offset);
        return i >= 0 ? i : -i - 2;
    }

    /** Status at {@code offset}, {@link #UNKNOWN} where not covered. */
    public synchronized int statusAt(long offset) {
        int i = indexOf(offset);
        return i < 0 ? UNKNOWN : status[i];
    }

    /** Copies of the compact arrays, trimmed to {@link #count()} (session files, exports). */
    public synchronized long[] startsCopy() { return Arrays.copyOf(starts, count); }

    public synchronized int[] statusCopy() { return Arrays.copyOf(status, count); }

    /** Bytes of memory held per extent by the backing arrays (capacity included). */
    public synchronized double bytesPerExtent() {
        return count == 0 ? 0 : (starts.length * 8.0 + status.length * 4.0) / count;
    }

    /** Totals for {@code base:allocation} kinds. */
    public synchronized ExtentTotals totals() {
        long[] bytes = new long[ExtentKind.values().length];
        long[] extents = new long[bytes.length];
        for (int i = 0; i < count; i++) {
            int k = ExtentKind.of(status[i]).ordinal();
            bytes[k] += (i + 1 < count ? starts[i + 1] : covered) - starts[i];
            extents[k]++;
        }
        bytes[ExtentKind.UNKNOWN.ordinal()] += size - covered;
        return new ExtentTotals(size, bytes, extents, count);
    }

    /**
     * Rebins {@code [from, to)} into {@code bins} equal cells for a heat-map. Writes four shares per bin
     * into {@code out} (length at least {@code 4 * bins}) in the order of {@link ExtentKind#ordinal()}:
     * data, zero (allocated, reads as zero), hole, unknown; each share is in {@code [0, 1]}.
     * Runs in O(bins + extents in range).
     */
    public synchronized void rebin(long from, long to, int bins, float[] out) {
        if (bins <= 0 || to <= from) throw new IllegalArgumentException("empty range " + from + ".." + to + " in " + bins + " bins");
        Arrays.fill(out, 0, 4 * bins, 0f);
        double width = (double) (to - from) / bins;
        int i = count == 0 ? -1 : indexOf(Math.min(from, Math.max(covered - 1, 0)));
        if (i < 0 && count > 0 && from < covered) i = 0;
        for (int b = 0; b < bins; b++) {
            long b0 = from + (long) Math.floor(b * width);
            long b1 = b + 1 == bins ? to : from + (long) Math.floor((b + 1) * width);
            if (b1 <= b0) b1 = b0 + 1;
            double len = b1 - b0;
            long known = 0;
            if (i >= 0) {
                while (i > 0 && starts[i] > b0) i--;  // bins narrower than a byte revisit the same extent
                while (i < count) {
                    long s = starts[i];
                    long e = i + 1 < count ? starts[i + 1] : covered;
                    if (s >= b1) break;
                    long lo = Math.max(s, b0), hi = Math.min(e, b1);
                    if (hi > lo) {
                        out[4 * b + ExtentKind.of(status[i]).ordinal()] += (float) ((hi - lo) / len);
                        known += hi - lo;
                    }
                    if (e > b1) break;
                    i++;
                }
                if (i == count) i = count - 1;
            }
            long beyond = Math.max(0, b1 - Math.max(b0, covered));
            out[4 * b + ExtentKind.UNKNOWN.ordinal()] += (float) (beyond / len);
        }
    }

    /** Index range {@code [first, last]} of extents overlapping {@code [from, to)}, or null when none. */
    public synchronized int[] indexRange(long from, long to) {
        if (count == 0 || from >= covered || to <= from) return null;
        int a = Math.max(0, indexOf(Math.max(0, from)));
        int b = indexOf(Math.min(to, covered) - 1);
        return new int[] {a, b};
    }

    private void check(int i) {
        if (i < 0 || i >= count) throw new IndexOutOfBoundsException("extent " + i + " of " + count);
    }

    /** Convenience for {@code base:allocation}: the description nbdinfo prints. */
    public static String describe(int status) {
        return status == UNKNOWN ? "unknown" : BlockStatusFlags.describeBaseAllocation(status);
    }
}
