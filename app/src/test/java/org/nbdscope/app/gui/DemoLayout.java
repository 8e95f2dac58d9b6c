package org.nbdscope.app.gui;

import org.nbdscope.engine.demo.DemoDisk;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.extent.ExtentTotals;
import org.nbdscope.engine.proto.BlockStatusFlags;

/** The real demo disk's known layout ({@link DemoDisk#standard()}), as the heat-map tests compare against it. */
final class DemoLayout {
    static final DemoDisk DISK = DemoDisk.standard();
    static final ExtentMap MAP = DISK.toExtentMap();
    static final int DATA = 0;
    static final int ZERO = BlockStatusFlags.STATE_ZERO;
    static final int HOLE = BlockStatusFlags.STATE_HOLE | BlockStatusFlags.STATE_ZERO;

    private DemoLayout() {}

    static long size() { return DISK.size(); }

    /** Extents as a scan shows them (neighbours of equal status merged). */
    static int extents() { return MAP.count(); }

    /** The status of {@code [from, to)} when it is uniform, else -2. */
    static int uniformStatus(long from, long to) {
        int i = DISK.indexOf(from);
        return DISK.extentEnd(i) >= to ? DISK.extentStatus(i) : -2;
    }

    /** The middle of the largest extent of {@code status} (for the zero status: the allocated-zero journal). */
    static long middleOfLargest(int status) {
        int best = -1;
        for (int i = 0; i < DISK.extentCount(); i++) {
            if (DISK.extentStatus(i) != status) continue;
            if (best < 0 || DISK.extentEnd(i) - DISK.extentStart(i) > DISK.extentEnd(best) - DISK.extentStart(best)) best = i;
        }
        if (best < 0) throw new AssertionError("the demo disk has no extent of status " + status);
        return (DISK.extentStart(best) + DISK.extentEnd(best)) / 2 / 4096 * 4096;
    }

    static long bytes(ExtentKind k) {
        ExtentTotals t = MAP.totals();
        return t.bytes(k);
    }
}
