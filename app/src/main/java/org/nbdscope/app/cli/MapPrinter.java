package org.nbdscope.app.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.TreeMap;

import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.report.NbdinfoFormat;

/**
 * Writes a map in nbdinfo's shapes as its extents become final. A map's last extent may still grow (the
 * next answer can continue it, since equal neighbours merge), so {@link #printFinal} writes every extent
 * but the last; {@link #finish} writes the rest once the scan is complete. Only the scan's thread of
 * control calls this: the scanner's I/O threads never write to the output.
 */
final class MapPrinter {
    enum Shape { TEXT, JSON }

    private final PrintWriter out;
    private final Shape shape;
    private final String context;
    private final boolean colour;
    private final StringBuilder buf = new StringBuilder(1 << 16);
    private int printed;
    private boolean stopped;

    MapPrinter(PrintWriter out, Shape shape, String context, boolean colour) {
        this.out = out;
        this.shape = shape;
        this.context = context;
        this.colour = colour;
    }

    void begin() {
        if (shape == Shape.JSON) buf.append(NbdinfoFormat.JSON_OPEN);
        flushBuffer();
    }

    /**
     * Writes the extents that can no longer change: all but the last, up to the first unknown range
     * (where a failed or cancelled scan stopped). Returns how many extents have been written so far.
     */
    int printFinal(ExtentMap map) {
        if (stopped) return printed;
        int n = map.count();
        while (printed + 1 < n) {
            int st = map.status(printed);
            if (st == ExtentMap.UNKNOWN || map.status(printed + 1) == ExtentMap.UNKNOWN) {
                stopped = true;
                break;
            }
            extent(map.start(printed), map.length(printed), st);
            printed++;
            if (buf.length() > 60_000) flushBuffer();
        }
        flushBuffer();
        return printed;
    }

    /** Writes the remaining extents of a complete map and closes the JSON list. */
    void finish(ExtentMap map) {
        if (!map.complete()) throw new IllegalStateException("the map is not complete");
        int n = map.count();
        for (; printed < n; printed++) {
            extent(map.start(printed), map.length(printed), map.status(printed));
            if (buf.length() > 60_000) flushBuffer();
        }
        if (shape == Shape.JSON) buf.append(NbdinfoFormat.JSON_CLOSE);
        flushBuffer();
    }

    /**
     * True when the output can no longer be written (a closed pipe, as with {@code | head}). The writer may
     * wrap {@code System.out}, a stream that swallows its errors, so that is asked too.
     */
    boolean broken() { return out.checkError() || System.out.checkError(); }

    private void extent(long offset, long length, int type) {
        NbdinfoFormat.Description d = NbdinfoFormat.describe(context, type);
        if (shape == Shape.TEXT) {
            NbdinfoFormat.mapLine(buf, offset, length, type, d, colour);
        } else {
            NbdinfoFormat.mapJson(buf, printed == 0, offset, length, type, d);
        }
    }

    private void flushBuffer() {
        if (!buf.isEmpty()) {
            out.append(buf);
            buf.setLength(0);
        }
        out.flush();
    }

    /** {@code --totals}: bytes per status value in ascending (unsigned) order, as nbdinfo prints them. */
    static void printTotals(PrintWriter out, ExtentMap map, Shape shape, String context, boolean colour) {
        long size = map.size();
        StringBuilder b = new StringBuilder();
        if (size == 0) {
            if (shape == Shape.JSON) b.append("[]\n");
            out.append(b).flush();
            return;
        }
        Map<Integer, Long> bytes = new TreeMap<>(Integer::compareUnsigned);
        for (int i = 0; i < map.count(); i++) bytes.merge(map.status(i), map.length(i), Long::sum);
        if (shape == Shape.JSON) b.append(NbdinfoFormat.JSON_OPEN);
        boolean first = true;
        for (Map.Entry<Integer, Long> e : bytes.entrySet()) {
            NbdinfoFormat.Description d = NbdinfoFormat.describe(context, e.getKey());
            if (shape == Shape.TEXT) {
                NbdinfoFormat.totalsLine(b, e.getValue(), size, e.getKey(), d, colour);
            } else {
                NbdinfoFormat.totalsJson(b, first, e.getValue(), size, e.getKey(), d);
            }
            first = false;
        }
        if (shape == Shape.JSON) b.append(NbdinfoFormat.JSON_CLOSE);
        out.append(b).flush();
    }
}
