package org.nbdscope.engine.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import tools.jackson.databind.JsonNode;

/**
 * One target of a session: what to open, what was negotiated, every scan (oldest first), every probe,
 * make-zero and compare result (oldest first), the user's notes and the view.
 *
 * @param id          unique in the session ({@code t1}, {@code t2}, …; {@link Session#newTargetId()})
 * @param target      the URI or path (without secrets) and the options it was opened with
 * @param facts       what was negotiated when it was last opened, or null if it never was
 * @param scans       the scans, oldest first
 * @param probes      zero probes, oldest first
 * @param makeZeros   make-zero runs and plans, oldest first
 * @param comparisons compare runs, oldest first
 * @param notes       the user's notes (plain text), or empty
 * @param view        zoom, viewport and filter
 * @param extra       unknown fields, kept
 */
@JsonPropertyOrder({"id", "target", "facts", "notes", "view", "scans", "probes", "makeZeros", "comparisons"})
public record SessionTarget(String id, TargetRef target, TargetInfo facts, List<SavedScan> scans, List<SavedProbe> probes,
                            List<SavedMakeZero> makeZeros, List<SavedComparison> comparisons, String notes,
                            TargetViewState view, @JsonAnySetter Map<String, JsonNode> extra) {
    public SessionTarget {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("id: missing");
        if (target == null) throw new IllegalArgumentException("target: missing");
        scans = scans == null ? List.of() : List.copyOf(scans);
        probes = probes == null ? List.of() : List.copyOf(probes);
        makeZeros = makeZeros == null ? List.of() : List.copyOf(makeZeros);
        comparisons = comparisons == null ? List.of() : List.copyOf(comparisons);
        if (notes == null) notes = "";
        if (view == null) view = TargetViewState.WHOLE;
        extra = Session.Extra.copy(extra);
    }

    /** A target with nothing recorded yet. */
    public static SessionTarget of(String id, TargetRef target, TargetInfo facts) {
        return new SessionTarget(id, target, facts, List.of(), List.of(), List.of(), List.of(), "", TargetViewState.WHOLE, Map.of());
    }

    @JsonAnyGetter
    public Map<String, JsonNode> extra() { return extra; }

    /** The newest scan, or null. */
    public SavedScan latestScan() { return scans.isEmpty() ? null : scans.getLast(); }

    /** The scan before the newest, or null (the pair a diff compares). */
    public SavedScan previousScan() { return scans.size() < 2 ? null : scans.get(scans.size() - 2); }

    public SessionTarget withFacts(TargetInfo f) {
        return new SessionTarget(id, target, f, scans, probes, makeZeros, comparisons, notes, view, extra);
    }

    public SessionTarget withScan(SavedScan s) {
        return new SessionTarget(id, target, facts, plus(scans, s), probes, makeZeros, comparisons, notes, view, extra);
    }

    public SessionTarget withScans(List<SavedScan> s) {
        return new SessionTarget(id, target, facts, s, probes, makeZeros, comparisons, notes, view, extra);
    }

    public SessionTarget withProbe(SavedProbe p) {
        return new SessionTarget(id, target, facts, scans, plus(probes, p), makeZeros, comparisons, notes, view, extra);
    }

    public SessionTarget withMakeZero(SavedMakeZero m) {
        return new SessionTarget(id, target, facts, scans, probes, plus(makeZeros, m), comparisons, notes, view, extra);
    }

    public SessionTarget withComparison(SavedComparison c) {
        return new SessionTarget(id, target, facts, scans, probes, makeZeros, plus(comparisons, c), notes, view, extra);
    }

    public SessionTarget withNotes(String n) {
        return new SessionTarget(id, target, facts, scans, probes, makeZeros, comparisons, n, view, extra);
    }

    public SessionTarget withView(TargetViewState v) {
        return new SessionTarget(id, target, facts, scans, probes, makeZeros, comparisons, notes, v, extra);
    }

    private static <T> List<T> plus(List<T> l, T x) {
        List<T> out = new ArrayList<>(l);
        out.add(x);
        return out;
    }
}
