package org.nbdscope.engine.extent;

/** Bytes and extent counts per {@link ExtentKind}, indexed by ordinal. */
public record ExtentTotals(long size, long[] bytes, long[] extents, int mergedExtents) {
    public long bytes(ExtentKind k) { return bytes[k.ordinal()]; }

    public long extents(ExtentKind k) { return extents[k.ordinal()]; }

    public double share(ExtentKind k) { return size == 0 ? 0 : (double) bytes[k.ordinal()] / size; }
}
