package org.nbdscope.app.gui.model;

import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;

/**
 * Per-kind totals of a growing {@link ExtentMap}, updated in time proportional to the extents added since
 * the last update (only the last extent can still grow), so the legend can follow a scan of millions of
 * extents every frame.
 */
final class TotalsTracker {
    private final ExtentMap map;
    private final long[] closedBytes = new long[ExtentKind.values().length];
    private final long[] closedExtents = new long[ExtentKind.values().length];
    private int closed;

    TotalsTracker(ExtentMap map) { this.map = map; }

    KindTotals update() {
        int count = map.count();
        for (; closed < count - 1; closed++) {
            int k = ExtentKind.of(map.status(closed)).ordinal();
            closedBytes[k] += map.length(closed);
            closedExtents[k]++;
        }
        long[] bytes = closedBytes.clone();
        long[] extents = closedExtents.clone();
        if (count > 0) {
            int k = ExtentKind.of(map.status(count - 1)).ordinal();
            bytes[k] += map.length(count - 1);
            extents[k]++;
        }
        bytes[ExtentKind.UNKNOWN.ordinal()] += map.size() - map.covered();
        return new KindTotals(map.size(), bytes, extents);
    }
}
