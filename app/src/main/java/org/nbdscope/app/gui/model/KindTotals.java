package org.nbdscope.app.gui.model;

import org.nbdscope.engine.extent.ExtentKind;

/** Bytes and extents per {@link ExtentKind} of the map as far as it is scanned (unknown includes the unscanned rest). */
public record KindTotals(long size, long[] bytes, long[] extents) {
    public static KindTotals empty(long size) {
        long[] b = new long[ExtentKind.values().length];
        b[ExtentKind.UNKNOWN.ordinal()] = size;
        return new KindTotals(size, b, new long[b.length]);
    }

    public long bytes(ExtentKind k) { return bytes[k.ordinal()]; }

    public long extents(ExtentKind k) { return extents[k.ordinal()]; }

    public double share(ExtentKind k) { return size == 0 ? 0 : (double) bytes[k.ordinal()] / size; }
}
