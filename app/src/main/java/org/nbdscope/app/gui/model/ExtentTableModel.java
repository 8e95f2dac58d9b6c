package org.nbdscope.app.gui.model;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;

import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;

/**
 * The extent table: its rows (swapped for a new list when the map or the filter changes, grown in place
 * while a scan streams), the kind filter, jump to offset, and the rows to select after a click on the
 * heat-map.
 */
public final class ExtentTableModel {
    /** Rows to select and scroll to: {@code [first, last]}. */
    public record RowSelection(int first, int last) {}

    /** More rows than this are not selected one by one: the table selects the first and scrolls there. */
    public static final int MAX_SELECTED_ROWS = 100_000;

    private final ReadOnlyObjectWrapper<ExtentRows> rows = new ReadOnlyObjectWrapper<>(this, "rows");
    private final ObjectProperty<ExtentKind> filter = new SimpleObjectProperty<>(this, "filter");
    private final ReadOnlyObjectWrapper<RowSelection> selection = new ReadOnlyObjectWrapper<>(this, "selection");
    private final ReadOnlyStringWrapper jumpError = new ReadOnlyStringWrapper(this, "jumpError", "");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary", "");
    private ExtentMap map;

    public ExtentTableModel() {
        filter.addListener((o, a, b) -> rebuild());
    }

    public ReadOnlyObjectProperty<ExtentRows> rowsProperty() { return rows.getReadOnlyProperty(); }

    /** Null shows every kind. */
    public ObjectProperty<ExtentKind> filterProperty() { return filter; }

    /** The latest rows to select; the view selects and scrolls when it changes. */
    public ReadOnlyObjectProperty<RowSelection> selectionProperty() { return selection.getReadOnlyProperty(); }

    /** Why the last jump failed, or empty. */
    public ReadOnlyStringProperty jumpErrorProperty() { return jumpError.getReadOnlyProperty(); }

    /** E.g. {@code 5,321 extents} or {@code 1,204 of 5,321 extents}. */
    public ReadOnlyStringProperty summaryProperty() { return summary.getReadOnlyProperty(); }

    public void setMap(ExtentMap m) {
        this.map = m;
        rebuild();
    }

    /** Once per frame while scanning. */
    public void refresh() {
        ExtentRows r = rows.get();
        if (r == null) return;
        r.sync();
        updateSummary();
    }

    /** Selects the rows of extents {@code [first, last]} (a heat-map click), as far as the filter shows them. */
    public void selectExtents(int first, int last) {
        ExtentRows r = rows.get();
        if (r == null) return;
        int a = r.rowAtOrAfter(first);
        if (a < 0 || r.get(a).index() > last) {
            selection.set(null);
            return;
        }
        int b = a;
        if (r.filter() == null) {
            b = Math.min(last, r.size() - 1);
        } else {
            int lo = a, hi = r.size() - 1;  // last row whose extent index is <= last
            while (lo < hi) {
                int mid = (lo + hi + 1) >>> 1;
                if (r.get(mid).index() <= last) lo = mid; else hi = mid - 1;
            }
            b = lo;
        }
        selection.set(new RowSelection(a, b));
    }

    /**
     * Jumps to the extent holding the offset typed in {@code text}.
     *
     * @return the offset, or -1 when the text is not an offset or the offset is not in the map yet
     */
    public long jumpTo(String text) {
        long off;
        try {
            off = Units.parseOffset(text);
        } catch (IllegalArgumentException e) {
            jumpError.set(e.getMessage());
            return -1;
        }
        if (map == null || off >= map.size()) {
            jumpError.set("offset " + Units.grouped(off) + " is past the end of the disk ("
                + Units.bytes(map == null ? 0 : map.size()) + ")");
            return -1;
        }
        int i = map.indexOf(off);
        if (i < 0) {
            jumpError.set("offset " + Units.bytes(off) + " is not scanned yet");
            return -1;
        }
        jumpError.set("");
        ExtentRows r = rows.get();
        int row = r.rowAtOrAfter(i);
        if (row < 0) {
            jumpError.set("no " + kindLabel(r.filter()) + " extent at or after " + Units.bytes(off));
            return off;
        }
        selection.set(new RowSelection(row, row));
        return off;
    }

    private void rebuild() {
        if (map == null) return;
        rows.set(new ExtentRows(map, filter.get()));
        updateSummary();
    }

    private void updateSummary() {
        ExtentRows r = rows.get();
        int all = map.count();
        summary.set(r.filter() == null ? Units.grouped(all) + " extents"
            : Units.grouped(r.size()) + " of " + Units.grouped(all) + " extents");
    }

    /** How the filter names a kind. */
    public static String kindLabel(ExtentKind k) {
        if (k == null) return "all";
        return switch (k) {
            case DATA -> "data";
            case ZERO -> "allocated zero";
            case HOLE -> "hole";
            case UNKNOWN -> "not scanned";
        };
    }
}
