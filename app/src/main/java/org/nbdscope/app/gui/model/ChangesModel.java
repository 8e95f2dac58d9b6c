package org.nbdscope.app.gui.model;

import java.util.ArrayList;
import java.util.List;
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

import org.nbdscope.engine.extent.ExtentDiff;
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
    private List<ExtentDiff.Transition> transitions = List.of();
    private ExtentDiff diff;

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

    /**
     * Shows the engine's diff of two scans ({@code baselineText} names the older one): the regions, the totals
     * per transition as the diff counts them, and the heat-map's marks.
     */
    void set(ExtentDiff d, String baselineText) {
        diff = d;
        int n = d.count();
        List<Region> regions = new ArrayList<>(n);
        long[] from = new long[n], to = new long[n];
        int[] mark = new int[n];
        for (int i = 0; i < n; i++) {
            Region r = new Region(d.start(i), d.length(i), d.from(i), d.to(i));
            regions.add(r);
            from[i] = r.offset();
            to[i] = r.offset() + r.length();
            mark[i] = markOf(r.before(), r.after());
        }
        rows.setAll(regions);
        marks = new ChangeMarks(from, to, mark);
        transitions = d.transitions();
        baseline.set(baselineText);
        current.set(-1);
        available.set(true);
        if (n == 0) {
            summary.set("Nothing changed since the " + baselineText + ".");
            return;
        }
        List<String> parts = new ArrayList<>();
        for (ExtentDiff.Transition t : transitions) {
            parts.add(label(t.from()) + " → " + label(t.to()) + " " + Units.bytes(t.bytes()) + " (" + Units.grouped(t.regions()) + ")");
        }
        summary.set(Units.grouped(n) + (n == 1 ? " region" : " regions") + " changed since the " + baselineText + ":\n"
            + String.join("\n", parts));
    }

    /** The engine's diff shown, or null. */
    public ExtentDiff diff() { return diff; }

    /** Bytes and regions per transition, most bytes first, as the engine's diff counts them (empty without a diff). */
    public List<ExtentDiff.Transition> transitions() { return transitions; }

    /** Forgets the diff (a new saved scan, or the tab reopened). */
    void clear() {
        rows.clear();
        marks = null;
        diff = null;
        transitions = List.of();
        current.set(-1);
        available.set(false);
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
