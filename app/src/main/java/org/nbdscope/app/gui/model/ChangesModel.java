package org.nbdscope.app.gui.model;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.nbdscope.engine.extent.ExtentKind;

/**
 * The difference between a tab's saved scan and its new scan, as the Changes panel and the heat-map show it:
 * a row per changed region, totals per direction (hole to data, data to hole, ...), the marks the heat-map
 * draws, and stepping through the regions. Filled from the engine's diff of the two scans; all methods run on
 * the FX thread.
 */
public final class ChangesModel {
    /** One changed region: its bytes and what they were and are. */
    public record Region(long offset, long length, ExtentKind before, ExtentKind after) {
        public String change() { return label(before) + " → " + label(after); }
    }

    private final ObservableList<Region> rows = FXCollections.observableArrayList();
    private final ReadOnlyBooleanWrapper available = new ReadOnlyBooleanWrapper(this, "available");
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper(this, "summary",
        "Rescan a saved target to see what changed since its saved scan.");
    private final ReadOnlyStringWrapper baseline = new ReadOnlyStringWrapper(this, "baseline", "");
    private final ReadOnlyIntegerWrapper current = new ReadOnlyIntegerWrapper(this, "current", -1);
    private final BooleanProperty shown = new SimpleBooleanProperty(this, "shown", true);
    private final Consumer<Region> focus;
    private ChangeMarks marks;

    /** @param focus shows a region on the heat-map (select and centre it) */
    ChangesModel(Consumer<Region> focus) {
        this.focus = focus;
    }

    /** The changed regions, in disk order. */
    public ObservableList<Region> rows() { return rows; }

    /** True once a diff is there (after a rescan of a saved target), even when nothing changed. */
    public ReadOnlyBooleanProperty availableProperty() { return available.getReadOnlyProperty(); }

    /** E.g. {@code 3 regions changed · hole → data 3 MiB (2) · data → hole 1 MiB (1)}, or why there is nothing yet. */
    public ReadOnlyStringProperty summaryProperty() { return summary.getReadOnlyProperty(); }

    /** What the new scan is compared with, e.g. {@code saved scan of 2026-11-23 21:04 UTC}. */
    public ReadOnlyStringProperty baselineProperty() { return baseline.getReadOnlyProperty(); }

    /** The row stepped to, or -1. */
    public ReadOnlyIntegerProperty currentProperty() { return current.getReadOnlyProperty(); }

    /** Whether the heat-map marks the changes (and fades the rest). */
    public BooleanProperty shownProperty() { return shown; }

    /** The marks for the heat-map, or null when there is no diff. */
    public ChangeMarks marks() { return marks; }

    /** Shows a diff: regions in disk order (not overlapping); {@code baselineText} names the older scan. */
    void set(List<Region> regions, String baselineText) {
        rows.setAll(regions);
        long[] from = new long[regions.size()], to = new long[regions.size()];
        int[] mark = new int[regions.size()];
        Map<String, long[]> byChange = new java.util.LinkedHashMap<>();
        for (int i = 0; i < regions.size(); i++) {
            Region r = regions.get(i);
            from[i] = r.offset();
            to[i] = r.offset() + r.length();
            mark[i] = markOf(r.before(), r.after());
            long[] t = byChange.computeIfAbsent(r.change(), k -> new long[2]);
            t[0] += r.length();
            t[1]++;
        }
        marks = new ChangeMarks(from, to, mark);
        baseline.set(baselineText);
        current.set(-1);
        available.set(true);
        if (regions.isEmpty()) {
            summary.set("Nothing changed since the " + baselineText + ".");
            return;
        }
        List<String> parts = new ArrayList<>();
        byChange.forEach((k, t) -> parts.add(k + " " + Units.bytes(t[0]) + " (" + Units.grouped(t[1]) + ")"));
        summary.set(Units.grouped(regions.size()) + (regions.size() == 1 ? " region" : " regions") + " changed since the "
            + baselineText + ": " + String.join(" · ", parts));
    }

    /** Forgets the diff (a new saved scan, or the tab reopened). */
    void clear() {
        rows.clear();
        marks = null;
        current.set(-1);
        available.set(false);
    }

    /** Bytes per direction, for tests and reports: {@code hole → data} etc. */
    public Map<String, Long> bytesByChange() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (Region r : rows) out.merge(r.change(), r.length(), Long::sum);
        return out;
    }

    /** Bytes that became data and bytes that stopped being data. */
    public Map<ExtentKind, Long> dataDelta() {
        Map<ExtentKind, Long> out = new EnumMap<>(ExtentKind.class);
        for (Region r : rows) {
            if (r.after() == ExtentKind.DATA) out.merge(ExtentKind.DATA, r.length(), Long::sum);
            if (r.before() == ExtentKind.DATA) out.merge(ExtentKind.HOLE, r.length(), Long::sum);
        }
        return out;
    }

    /** Steps to the next changed region (wrapping round) and shows it. */
    public void next() { go(rows.isEmpty() ? -1 : (current.get() + 1) % rows.size()); }

    /** Steps to the previous changed region (wrapping round) and shows it. */
    public void previous() { go(rows.isEmpty() ? -1 : (current.get() - 1 + rows.size()) % rows.size()); }

    /** Shows region {@code i} (a row chosen in the list). */
    public void go(int i) {
        if (i < 0 || i >= rows.size()) return;
        current.set(i);
        focus.accept(rows.get(i));
    }

    static int markOf(ExtentKind before, ExtentKind after) {
        if (after == ExtentKind.DATA && before != ExtentKind.DATA && before != ExtentKind.UNKNOWN) return ChangeMarks.TO_DATA;
        if (before == ExtentKind.DATA && after != ExtentKind.DATA && after != ExtentKind.UNKNOWN) return ChangeMarks.FROM_DATA;
        return ChangeMarks.OTHER;
    }

    static String label(ExtentKind k) {
        return switch (k) {
            case DATA -> "data";
            case ZERO -> "zero";
            case HOLE -> "hole";
            case UNKNOWN -> "not scanned";
        };
    }
}
