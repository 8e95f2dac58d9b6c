package org.nbdscope.engine.report;

import java.util.Locale;

import org.nbdscope.engine.extent.ExtentDiff;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentTotals;
import org.nbdscope.engine.session.SavedComparison;
import org.nbdscope.engine.session.SavedMakeZero;
import org.nbdscope.engine.session.SavedProbe;
import org.nbdscope.engine.session.SavedScan;
import org.nbdscope.engine.session.Session;
import org.nbdscope.engine.session.SessionTarget;
import org.nbdscope.engine.zero.Units;

/**
 * A session as plain text for a terminal ({@code nbdscope report FILE}): the targets, their scans with totals
 * and costs, the changes between the last two scans per transition, and a line per probe, make-zero and compare.
 */
public final class TextReport {
    private TextReport() {}

    public static String render(Session s, String name) {
        StringBuilder b = new StringBuilder();
        b.append("session ").append(name).append(": nbdscope ").append(s.nbdscopeVersion()).append(", schema ").append(s.schema())
            .append(", created ").append(s.created()).append(", saved ").append(s.modified()).append('\n');
        if (s.targets().isEmpty()) b.append("no targets\n");
        for (SessionTarget t : s.targets()) target(b, t);
        return b.toString();
    }

    private static void target(StringBuilder b, SessionTarget t) {
        b.append("\ntarget ").append(t.id()).append(": ").append(t.target().target());
        if (t.facts() != null) {
            b.append(" (").append(Units.bytes(t.facts().size()));
            if (t.facts().headerMode() != null) b.append(", ").append(t.facts().headerMode()).append(" headers");
            if (t.facts().tls() != null) b.append(t.facts().tls() ? ", TLS" : ", no TLS");
            if (t.facts().readOnly()) b.append(", read-only");
            b.append(')');
        }
        b.append('\n');
        if (!t.notes().isBlank()) {
            for (String line : t.notes().split("\n", -1)) b.append("  note: ").append(line).append('\n');
        }
        for (int i = 0; i < t.scans().size(); i++) {
            SavedScan sc = t.scans().get(i);
            ExtentTotals tot = sc.totals();
            b.append(String.format(Locale.ROOT, "  scan %d  %s  %s  %d extents", i + 1, sc.at(), sc.outcome().name().toLowerCase(Locale.ROOT),
                sc.map().count()));
            for (ExtentKind k : ExtentKind.values()) {
                b.append(String.format(Locale.ROOT, "  %s %s (%.1f%%)", ExtentDiff.word(k), Units.bytes(tot.bytes(k)), 100 * tot.share(k)));
            }
            b.append(String.format(Locale.ROOT, "  %d requests, %d round trips, %s", sc.cost().requests(), sc.cost().roundTrips(),
                Units.millis(sc.cost().wallNanos())));
            if (sc.error() != null) b.append("  error: ").append(sc.error());
            b.append('\n');
        }
        SavedScan last = t.latestScan(), prev = t.previousScan();
        if (prev != null) {
            int n = t.scans().size();
            if (prev.map().size() != last.map().size()) {
                b.append("  scans ").append(n - 1).append(" and ").append(n).append(" differ in size: not compared\n");
            } else {
                diff(b, ExtentDiff.of(prev.map(), last.map()), n - 1, n);
            }
        }
        for (SavedProbe p : t.probes()) {
            b.append("  probe ").append(p.at()).append(": ").append(answer(p.result().answer().name())).append(" (")
                .append(p.result().source()).append("): ").append(p.result().detail()).append("; ").append(p.result().cost().summary()).append('\n');
        }
        for (SavedMakeZero m : t.makeZeros()) {
            if (m.planOnly()) {
                b.append("  make-zero plan ").append(m.at()).append(": ")
                    .append(m.plan().refusal() != null ? "would be refused: " + m.plan().refusal()
                        : m.plan().strategy().cliName() + ": " + m.plan().reason()).append('\n');
            } else {
                b.append("  make-zero ").append(m.at()).append(": ").append(m.result().outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '))
                    .append(m.result().strategy() == null ? "" : " by " + m.result().strategy().cliName()).append(": ").append(m.result().message())
                    .append("; ").append(m.result().cost().summary()).append('\n');
            }
        }
        for (SavedComparison c : t.comparisons()) {
            b.append("  compare ").append(c.at()).append(": winner ").append(c.comparison().winner()).append(": ").append(c.comparison().why()).append('\n');
        }
    }

    /** The changes between two scans, one line per transition. */
    public static void diff(StringBuilder b, ExtentDiff d, int from, int to) {
        if (d.isEmpty()) {
            b.append("  changes from scan ").append(from).append(" to scan ").append(to).append(": none\n");
            return;
        }
        b.append("  changes from scan ").append(from).append(" to scan ").append(to).append(": ").append(Units.bytes(d.changedBytes()))
            .append(" in ").append(d.count()).append(d.count() == 1 ? " region" : " regions").append('\n');
        for (ExtentDiff.Transition tr : d.transitions()) {
            b.append(String.format(Locale.ROOT, "    %-18s %12s %20d bytes %10d %s%n", tr.label(), Units.bytes(tr.bytes()), tr.bytes(), tr.regions(),
                tr.regions() == 1 ? "region" : "regions"));
        }
    }

    private static String answer(String a) {
        return switch (a) {
            case "YES" -> "reads as zero";
            case "NO" -> "not zero";
            default -> "unknown";
        };
    }
}
