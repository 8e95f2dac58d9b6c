package org.nbdscope.engine.scan;

import org.nbdscope.engine.proto.BlockStatusFlags;

/**
 * What to scan and how hard: the meta context, how many block-status requests to keep in flight over
 * disjoint ranges, and the range (defaults to the whole source).
 */
public record ScanOptions(String context, int inFlight, long from, long to) {
    /** Enough requests in flight to hide a WAN round trip for 32-bit servers (257 requests per TiB). */
    public static final int DEFAULT_IN_FLIGHT = 32;

    public ScanOptions {
        if (inFlight < 1 || inFlight > 1024) throw new IllegalArgumentException("in-flight requests must be 1..1024, not " + inFlight);
        if (from < 0 || (to >= 0 && to < from)) throw new IllegalArgumentException("bad scan range " + from + ".." + to);
    }

    public static ScanOptions defaults() { return new ScanOptions(BlockStatusFlags.BASE_ALLOCATION, DEFAULT_IN_FLIGHT, 0, -1); }

    public ScanOptions withContext(String c) { return new ScanOptions(c, inFlight, from, to); }

    public ScanOptions withInFlight(int n) { return new ScanOptions(context, n, from, to); }
}
