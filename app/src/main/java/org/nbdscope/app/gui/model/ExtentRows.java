package org.nbdscope.app.gui.model;

import java.util.Arrays;

import javafx.collections.ObservableListBase;

import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;

/**
 * The extent table's items: a list over an {@link ExtentMap} by index that holds no object per extent.
 * {@link #get} makes an {@link ExtentRow} when the table asks for a visible row. With a kind filter the list
 * keeps only the matching extent indices (4 bytes each). It grows as the scan streams; {@link #sync} tells
 * the table once per frame.
 */
public final class ExtentRows extends ObservableListBase<ExtentRow> {
    private final ExtentMap map;
    private final ExtentKind filter;
    private int[] matches = new int[0];
    private int matchCount;
    private int examined;
    private int size;
    private long lastLength;

    /** Rows of {@code map}, all of them ({@code filter} null) or those of one kind. */
    public ExtentRows(ExtentMap map, ExtentKind filter) {
        this.map = map;
        this.filter = filter;
        advance();
        size = filter == null ? map.count() : matchCount;
        lastLength = size == 0 ? 0 : get(size - 1).length();
    }

    public ExtentKind filter() { return filter; }

    public ExtentMap map() { return map; }

    @Override
    public ExtentRow get(int row) {
        if (row < 0 || row >= size) throw new IndexOutOfBoundsException("row " + row + " of " + size);
        int i = filter == null ? row : matches[row];
        return new ExtentRow(i, map.start(i), map.length(i), map.status(i));
    }

    @Override
    public int size() { return size; }

    /** The row showing extent {@code index}, or -1 when it is filtered out or not listed yet. */
    public int rowOf(int index) {
        if (filter == null) return index < size ? index : -1;
        int r = Arrays.binarySearch(matches, 0, size, index);
        return r >= 0 ? r : -1;
    }

    /** The first row showing extent {@code index} or a later one, or -1. */
    public int rowAtOrAfter(int index) {
        if (filter == null) return index < size ? index : -1;
        int r = Arrays.binarySearch(matches, 0, size, index);
        if (r < 0) r = -r - 1;
        return r < size ? r : -1;
    }

    /** Catches up with the map: announces the new rows, and the last row, which may have grown. */
    public void sync() {
        advance();
        int old = size;
        int now = filter == null ? map.count() : matchCount;
        boolean lastGrew = old > 0 && get(old - 1).length() != lastLength;
        if (now == old && !lastGrew) return;
        size = now;
        lastLength = get(now - 1).length();
        beginChange();
        if (lastGrew) nextUpdate(old - 1);
        if (now > old) nextAdd(old, now);
        endChange();
    }

    private void advance() {
        if (filter == null) return;
        synchronized (map) {  // one lock for the whole catch-up, not one per extent
            int count = map.count();
            for (; examined < count; examined++) {
                if (ExtentKind.of(map.status(examined)) != filter) continue;
                if (matchCount == matches.length) matches = Arrays.copyOf(matches, Math.max(1024, matchCount * 2));
                matches[matchCount++] = examined;
            }
        }
    }
}
