package org.nbdscope.engine.session;

import java.util.List;

import org.nbdscope.engine.zero.Attempt;
import org.nbdscope.engine.zero.Comparison;
import org.nbdscope.engine.zero.MakeZeroResult;
import org.nbdscope.engine.zero.Plan;
import org.nbdscope.engine.zero.ProbeResult;
import org.nbdscope.engine.zero.ProbeStep;
import org.nbdscope.engine.zero.Side;

/**
 * Checks a mapped session for the values its readers rely on (the app's tabs, the reports): every enum,
 * cost and verdict of the saved results is present. Fails with {@link IllegalArgumentException} whose message
 * starts with the JSON path of the missing field.
 */
final class SessionChecks {
    private SessionChecks() {}

    static void check(Session s) {
        need(s.created(), "created");
        need(s.modified(), "modified");
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (int i = 0; i < s.targets().size(); i++) {
            String at = "targets[" + i + "]";
            SessionTarget t = need(s.targets().get(i), at);
            if (!ids.add(t.id())) throw new IllegalArgumentException(at + ".id: '" + t.id() + "' is used by an earlier target too");
            if (t.facts() != null) {
                for (int k = 0; k < t.facts().details().size(); k++) {
                    DetailRow r = need(t.facts().details().get(k), at + ".facts.details[" + k + "]");
                    need(r.group(), at + ".facts.details[" + k + "].group");
                    need(r.name(), at + ".facts.details[" + k + "].name");
                    need(r.value(), at + ".facts.details[" + k + "].value");
                }
            }
            for (int k = 0; k < t.scans().size(); k++) {
                SavedScan sc = need(t.scans().get(k), at + ".scans[" + k + "]");
                need(sc.at(), at + ".scans[" + k + "].at");
                if (k == t.scans().size() - 1 && t.facts() != null && t.facts().size() != sc.extents().size()) {
                    // a resized disk keeps its older scans; only the newest must match the facts
                    throw new IllegalArgumentException(at + ".scans[" + k + "].extents.size: " + sc.extents().size()
                        + " does not match the target's size " + t.facts().size());
                }
            }
            for (int k = 0; k < t.probes().size(); k++) {
                SavedProbe p = need(t.probes().get(k), at + ".probes[" + k + "]");
                need(p.at(), at + ".probes[" + k + "].at");
                probe(p.result(), at + ".probes[" + k + "].result");
            }
            for (int k = 0; k < t.makeZeros().size(); k++) {
                SavedMakeZero m = need(t.makeZeros().get(k), at + ".makeZeros[" + k + "]");
                need(m.at(), at + ".makeZeros[" + k + "].at");
                if (m.result() != null) result(m.result(), at + ".makeZeros[" + k + "].result");
                if (m.plan() != null) plan(m.plan(), at + ".makeZeros[" + k + "].plan");
            }
            for (int k = 0; k < t.comparisons().size(); k++) {
                SavedComparison c = need(t.comparisons().get(k), at + ".comparisons[" + k + "]");
                need(c.at(), at + ".comparisons[" + k + "].at");
                comparison(c.comparison(), at + ".comparisons[" + k + "].comparison");
            }
        }
    }

    private static void probe(ProbeResult r, String at) {
        need(r, at);
        need(r.answer(), at + ".answer");
        need(r.source(), at + ".source");
        need(r.detail(), at + ".detail");
        need(r.cost(), at + ".cost");
        List<ProbeStep> steps = r.steps();
        for (int i = 0; i < steps.size(); i++) {
            ProbeStep s = need(steps.get(i), at + ".steps[" + i + "]");
            need(s.source(), at + ".steps[" + i + "].source");
            need(s.answer(), at + ".steps[" + i + "].answer");
            need(s.note(), at + ".steps[" + i + "].note");
            need(s.cost(), at + ".steps[" + i + "].cost");
        }
    }

    private static void result(MakeZeroResult r, String at) {
        need(r.outcome(), at + ".outcome");
        need(r.message(), at + ".message");
        need(r.cost(), at + ".cost");
        need(r.zeroCost(), at + ".zeroCost");
        if (r.before() != null) probe(r.before(), at + ".before");
        if (r.verify() != null) probe(r.verify(), at + ".verify");
        for (int i = 0; i < r.attempts().size(); i++) {
            Attempt a = need(r.attempts().get(i), at + ".attempts[" + i + "]");
            need(a.strategy(), at + ".attempts[" + i + "].strategy");
            need(a.note(), at + ".attempts[" + i + "].note");
            need(a.cost(), at + ".attempts[" + i + "].cost");
        }
    }

    private static void plan(Plan p, String at) {
        need(p.planCost(), at + ".planCost");
        if (p.refusal() == null) {
            need(p.strategy(), at + ".strategy");
            need(p.reason(), at + ".reason");
            need(p.zeroing(), at + ".zeroing");
        }
        if (p.fallback() != null) need(p.fallbackZeroing(), at + ".fallbackZeroing");
        if (p.probe() != null) probe(p.probe(), at + ".probe");
    }

    private static void comparison(Comparison c, String at) {
        need(c.target(), at + ".target");
        need(c.kind(), at + ".kind");
        need(c.winner(), at + ".winner");
        need(c.why(), at + ".why");
        side(c.probe(), at + ".probe");
        side(c.makeZero(), at + ".makeZero");
        probe(c.probeResult(), at + ".probeResult");
        if (c.makeZeroResult() != null) result(c.makeZeroResult(), at + ".makeZeroResult");
        if (c.plan() != null) plan(c.plan(), at + ".plan");
    }

    private static void side(Side s, String at) {
        need(s, at);
        need(s.path(), at + ".path");
        need(s.method(), at + ".method");
        need(s.detail(), at + ".detail");
        if (s.executed()) need(s.finalState(), at + ".finalState");
    }

    private static <T> T need(T v, String at) {
        if (v == null) throw new IllegalArgumentException(at + ": missing");
        return v;
    }
}
