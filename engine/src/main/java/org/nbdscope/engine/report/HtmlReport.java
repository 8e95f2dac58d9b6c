package org.nbdscope.engine.report;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.nbdscope.engine.extent.ExtentDiff;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.extent.ExtentTotals;
import org.nbdscope.engine.session.DetailRow;
import org.nbdscope.engine.session.SavedComparison;
import org.nbdscope.engine.session.SavedMakeZero;
import org.nbdscope.engine.session.SavedProbe;
import org.nbdscope.engine.session.SavedScan;
import org.nbdscope.engine.session.Session;
import org.nbdscope.engine.session.SessionTarget;
import org.nbdscope.engine.zero.Attempt;
import org.nbdscope.engine.zero.Comparison;
import org.nbdscope.engine.zero.Cost;
import org.nbdscope.engine.zero.MakeZeroResult;
import org.nbdscope.engine.zero.Plan;
import org.nbdscope.engine.zero.Prediction;
import org.nbdscope.engine.zero.ProbeResult;
import org.nbdscope.engine.zero.ProbeStep;
import org.nbdscope.engine.zero.Side;
import org.nbdscope.engine.zero.Units;

/**
 * A self-contained HTML report of a session: per target the negotiated facts, the notes, every scan with its
 * totals and cost, the newest scan's heat-map as an embedded PNG ({@code data:} URI), the difference between
 * the last two scans (highlighted on the heat-map, with totals per transition), and every probe, make-zero and
 * compare result with its figures and which path won. No scripts, no external resources; every text from the
 * session is HTML-escaped.
 */
public final class HtmlReport {
    private HtmlReport() {}

    /**
     * @param width          heat-map image width in pixels
     * @param height         heat-map image height in pixels
     * @param colors         heat-map colours
     * @param maxDiffRegions changed regions listed one by one (the totals always cover all)
     */
    public record Options(int width, int height, HeatMapColors colors, int maxDiffRegions) {
        public Options {
            if (width < 8 || height < 8 || width > 8192 || height > 8192) {
                throw new IllegalArgumentException("heat-map size " + width + "x" + height + " must be 8..8192 pixels each way");
            }
            if (colors == null) colors = HeatMapColors.light();
            if (maxDiffRegions < 0) maxDiffRegions = 0;
        }

        public static Options defaults() { return new Options(800, 320, HeatMapColors.light(), 200); }
    }

    public static String render(Session s, Options o) {
        StringBuilder h = new StringBuilder(1 << 16);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<meta name=\"generator\" content=\"nbdscope ").append(esc(s.nbdscopeVersion())).append("\">\n")
            .append("<title>nbdscope session report</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<h1>nbdscope session report</h1>\n<p class=\"meta\">Written by nbdscope ").append(esc(s.nbdscopeVersion()))
            .append(", schema ").append(s.schema()).append(". Session created ").append(esc(time(s.created())))
            .append(", saved ").append(esc(time(s.modified()))).append(". ").append(s.targets().size())
            .append(s.targets().size() == 1 ? " target." : " targets.").append("</p>\n");
        if (s.targets().isEmpty()) h.append("<p>This session has no targets.</p>\n");
        for (SessionTarget t : s.targets()) target(h, t, o);
        h.append("<footer>Session files hold no passwords, TLS keys or PSK secrets.</footer>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void target(StringBuilder h, SessionTarget t, Options o) {
        h.append("<section class=\"target\" id=\"").append(esc(t.id())).append("\">\n<h2>").append(esc(t.target().target())).append("</h2>\n");
        if (t.facts() != null) {
            h.append("<p class=\"meta\">").append(Units.bytes(t.facts().size())).append(" (").append(t.facts().size()).append(" bytes)");
            if (t.facts().readOnly()) h.append(", read-only");
            if (t.facts().headerMode() != null) h.append(", ").append(esc(t.facts().headerMode())).append(" headers");
            if (t.facts().tls() != null) h.append(t.facts().tls() ? ", TLS" : ", no TLS");
            if (t.facts().zeroFlag() != null) h.append(", zero flag: ").append(esc(t.facts().zeroFlag()));
            h.append("</p>\n");
        }
        if (!t.notes().isBlank()) h.append("<h3>Notes</h3>\n<pre class=\"notes\">").append(esc(t.notes())).append("</pre>\n");
        if (t.facts() != null && !t.facts().details().isEmpty()) {
            h.append("<details><summary>Negotiated facts</summary>\n<table class=\"facts\">\n");
            String group = null;
            for (DetailRow r : t.facts().details()) {
                if (!r.group().equals(group)) {
                    group = r.group();
                    h.append("<tr><th colspan=\"2\" class=\"group\">").append(esc(group)).append("</th></tr>\n");
                }
                h.append("<tr><th>").append(esc(r.name())).append("</th><td>").append(esc(r.value())).append("</td></tr>\n");
            }
            h.append("</table>\n</details>\n");
        }
        scans(h, t, o);
        for (SavedProbe p : t.probes()) probe(h, p);
        for (SavedMakeZero m : t.makeZeros()) makeZero(h, m);
        for (SavedComparison c : t.comparisons()) comparison(h, c);
        h.append("</section>\n");
    }

    // ---- scans, heat-map, diff ----

    private static void scans(StringBuilder h, SessionTarget t, Options o) {
        if (t.scans().isEmpty()) return;
        h.append("<h3>Scans</h3>\n<table class=\"num\">\n<tr><th>finished</th><th>outcome</th><th>extents</th><th>data</th>")
            .append("<th>allocated zero</th><th>hole</th><th>unknown</th><th>requests</th><th>round trips</th><th>received</th><th>time</th></tr>\n");
        for (SavedScan sc : t.scans()) {
            ExtentTotals tot = sc.totals();
            h.append("<tr><td>").append(esc(time(sc.at()))).append("</td><td>").append(esc(word(sc.outcome().name())));
            if (sc.error() != null) h.append(": ").append(esc(sc.error()));
            h.append("</td><td>").append(sc.map().count()).append("</td>");
            for (ExtentKind k : ExtentKind.values()) {
                h.append("<td>").append(Units.bytes(tot.bytes(k))).append(String.format(Locale.ROOT, " (%.1f%%)", 100 * tot.share(k))).append("</td>");
            }
            Cost c = sc.cost();
            h.append("<td>").append(c.requests()).append("</td><td>").append(c.roundTrips()).append("</td><td>")
                .append(Units.bytes(c.bytesReceived())).append("</td><td>").append(esc(Units.millis(c.wallNanos()))).append("</td></tr>\n");
        }
        h.append("</table>\n");
        SavedScan last = t.latestScan(), prev = t.previousScan();
        ExtentDiff diff = prev != null && prev.map().size() == last.map().size() ? ExtentDiff.of(prev.map(), last.map()) : null;
        ExtentMap map = last.map();
        if (map.size() > 0) {
            HeatMapRaster.Raster r = HeatMapRaster.render(map, 0, map.size(), o.width(), o.height(), HeatMapRaster.Layout.APP, o.colors(), diff);
            h.append("<figure>\n<img alt=\"heat-map of the newest scan\" width=\"").append(r.width()).append("\" height=\"").append(r.height())
                .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(Png.encode(r))).append("\">\n<figcaption>");
            legend(h, o.colors(), diff != null);
            h.append(" · the newest scan, ").append(Units.bytes(Math.max(1, map.size() / ((long) r.columns() * r.rows())))).append(" per cell")
                .append("</figcaption>\n</figure>\n");
        }
        if (prev != null && diff == null) {
            h.append("<p>The last two scans cover different sizes (").append(prev.map().size()).append(" and ").append(map.size())
                .append(" bytes): the disk was resized, so they are not compared.</p>\n");
        }
        if (diff != null) diff(h, diff, prev, last, o);
    }

    private static void legend(StringBuilder h, HeatMapColors c, boolean changed) {
        swatch(h, c.data(), "data");
        swatch(h, c.zero(), "allocated zero");
        swatch(h, c.hole(), "hole");
        swatch(h, c.unknown(), "not scanned");
        if (changed) {
            h.append("<span class=\"sw\" style=\"background:").append(HeatMapColors.web(c.background()))
                .append(";outline:2px solid ").append(HeatMapColors.web(c.changed())).append("\"></span> changed since the previous scan ");
        }
    }

    private static void swatch(StringBuilder h, int argb, String label) {
        h.append("<span class=\"sw\" style=\"background:").append(HeatMapColors.web(argb)).append("\"></span> ").append(label).append(' ');
    }

    private static void diff(StringBuilder h, ExtentDiff d, SavedScan prev, SavedScan last, Options o) {
        h.append("<h3>Changes between the last two scans</h3>\n<p>From ").append(esc(time(prev.at()))).append(" to ").append(esc(time(last.at())))
            .append(": ");
        if (d.isEmpty()) {
            h.append("nothing changed.</p>\n");
            return;
        }
        h.append(Units.bytes(d.knownChangedBytes())).append(" changed kind");
        long unk = d.changedBytes() - d.knownChangedBytes();
        if (unk > 0) h.append(", and ").append(Units.bytes(unk)).append(" were known in only one of them");
        h.append(", in ").append(d.count()).append(d.count() == 1 ? " region" : " regions").append(".</p>\n");
        h.append("<table class=\"num\">\n<tr><th>change</th><th>bytes</th><th>regions</th></tr>\n");
        for (ExtentDiff.Transition t : d.transitions()) {
            h.append("<tr><td>").append(esc(t.label())).append("</td><td>").append(Units.bytes(t.bytes())).append(" (").append(t.bytes())
                .append(")</td><td>").append(t.regions()).append("</td></tr>\n");
        }
        h.append("</table>\n");
        int n = Math.min(d.count(), o.maxDiffRegions());
        if (n == 0) return;
        h.append("<details><summary>").append(n == d.count() ? "Every changed region" : "The first " + n + " of " + d.count() + " changed regions")
            .append("</summary>\n<table class=\"num\">\n<tr><th>offset</th><th>length</th><th>change</th></tr>\n");
        for (int i = 0; i < n; i++) {
            h.append("<tr><td>").append(d.start(i)).append("</td><td>").append(d.length(i)).append("</td><td>")
                .append(ExtentDiff.word(d.from(i))).append(" -&gt; ").append(ExtentDiff.word(d.to(i))).append("</td></tr>\n");
        }
        h.append("</table>\n</details>\n");
    }

    // ---- probe, make-zero, compare ----

    private static void probe(StringBuilder h, SavedProbe p) {
        ProbeResult r = p.result();
        h.append("<h3>Zero probe, ").append(esc(time(p.at()))).append("</h3>\n<p>Reads as all zero: <strong>")
            .append(esc(word(name(r.answer())))).append("</strong> (").append(esc(name(r.source()))).append("). ")
            .append(esc(r.detail())).append("<br>Cost: ").append(esc(summary(r.cost()))).append("</p>\n");
        steps(h, r.steps());
    }

    private static void steps(StringBuilder h, List<ProbeStep> steps) {
        if (steps == null || steps.isEmpty()) return;
        h.append("<table>\n<tr><th>source tried</th><th>answer</th><th>note</th><th>cost</th></tr>\n");
        for (ProbeStep s : steps) {
            if (s == null) continue;
            h.append("<tr><td>").append(esc(name(s.source()))).append("</td><td>").append(esc(word(name(s.answer())))).append("</td><td>")
                .append(esc(s.note())).append("</td><td>").append(esc(summary(s.cost()))).append("</td></tr>\n");
        }
        h.append("</table>\n");
    }

    private static void makeZero(StringBuilder h, SavedMakeZero m) {
        h.append("<h3>Make-zero").append(m.planOnly() ? " plan" : "").append(", ").append(esc(time(m.at()))).append("</h3>\n");
        if (m.planOnly()) {
            Plan p = m.plan();
            if (p.refusal() != null) h.append("<p>Would be <strong>refused</strong>: ").append(esc(p.refusal())).append("</p>\n");
            else h.append("<p>Would run <strong>").append(esc(name(p.strategy()))).append("</strong>: ").append(esc(p.reason())).append("</p>\n");
            h.append("<table class=\"num\">\n<tr><th>step</th><th>requests</th><th>bytes sent</th><th>bytes received</th><th>note</th></tr>\n");
            prediction(h, "zeroing", p.zeroing());
            if (p.fallback() != null) prediction(h, "if NBD_ENOTSUP: " + name(p.fallback()), p.fallbackZeroing());
            prediction(h, "verify", p.verify());
            h.append("</table>\n");
            return;
        }
        MakeZeroResult r = m.result();
        h.append("<p>Outcome <strong>").append(esc(word(name(r.outcome())))).append("</strong>");
        if (r.strategy() != null) h.append(" by ").append(esc(name(r.strategy())));
        h.append(": ").append(esc(r.message())).append("<br>Total cost: ").append(esc(summary(r.cost()))).append("</p>\n");
        if (r.attempts() != null && !r.attempts().isEmpty()) {
            h.append("<table>\n<tr><th>rung</th><th>completed</th><th>bytes</th><th>note</th><th>cost</th></tr>\n");
            for (Attempt a : r.attempts()) {
                if (a == null) continue;
                h.append("<tr><td>").append(esc(name(a.strategy()))).append("</td><td>").append(a.completed() ? "yes" : "no").append("</td><td>")
                    .append(Units.bytes(a.bytes())).append("</td><td>").append(esc(a.note())).append("</td><td>").append(esc(summary(a.cost())))
                    .append("</td></tr>\n");
            }
            h.append("</table>\n");
        }
    }

    private static void prediction(StringBuilder h, String step, Prediction p) {
        if (p == null) return;
        h.append("<tr><td>").append(esc(step)).append("</td><td>").append(p.upperBound() ? "at most " : "").append(p.requests())
            .append(commands(p.requestsByCommand())).append("</td><td>").append(Units.bytes(p.bytesSent())).append("</td><td>")
            .append(Units.bytes(p.bytesReceived())).append("</td><td>").append(esc(p.note())).append("</td></tr>\n");
    }

    private static void comparison(StringBuilder h, SavedComparison sc) {
        Comparison c = sc.comparison();
        Side p = c.probe(), m = c.makeZero();
        h.append("<h3>Compare: zero probe against make-zero, ").append(esc(time(sc.at()))).append("</h3>\n<p class=\"winner\">Winner: <strong>")
            .append(esc(c.winner())).append("</strong>: ").append(esc(c.why())).append("</p>\n");
        h.append("<table class=\"num\">\n<tr><th></th><th>zero probe</th><th>make-zero (").append(m.executed() ? "ran" : "planned").append(")</th></tr>\n");
        row(h, "method", esc(p.method()), esc(m.method()));
        row(h, "requests", p.requests() + esc(commands(p.requestsByCommand())), m.requests() + esc(commands(m.requestsByCommand())));
        row(h, "round trips", String.valueOf(p.roundTrips()), String.valueOf(m.roundTrips()));
        row(h, "bytes sent", Units.bytes(p.bytesSent()), Units.bytes(m.bytesSent()));
        row(h, "bytes received", Units.bytes(p.bytesReceived()), Units.bytes(m.bytesReceived()));
        row(h, "wall time", ms(p), ms(m));
        row(h, "final state", p.finalState() == null ? "not run" : esc(word(name(p.finalState()))), m.finalState() == null ? "not run" : esc(word(name(m.finalState()))));
        row(h, "detail", esc(p.detail()), esc(m.detail()));
        h.append("</table>\n");
        bars(h, "round trips", p.roundTrips(), m.roundTrips(), String.valueOf(p.roundTrips()), String.valueOf(m.roundTrips()));
        long pw = p.bytesSent() + p.bytesReceived(), mw = m.bytesSent() + m.bytesReceived();
        bars(h, "bytes on the wire", pw, mw, Units.bytes(pw), Units.bytes(mw));
    }

    private static void row(StringBuilder h, String name, String a, String b) {
        h.append("<tr><th>").append(esc(name)).append("</th><td>").append(a).append("</td><td>").append(b).append("</td></tr>\n");
    }

    /** A two-bar SVG figure: the probe against make-zero on one measure. */
    private static void bars(StringBuilder h, String what, long a, long b, String la, String lb) {
        long max = Math.max(1, Math.max(a, b));
        int wa = (int) Math.max(a > 0 ? 2 : 0, Math.round(300.0 * a / max)), wb = (int) Math.max(b > 0 ? 2 : 0, Math.round(300.0 * b / max));
        h.append("<figure class=\"bars\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"520\" height=\"56\" role=\"img\" aria-label=\"")
            .append(esc(what)).append("\">")
            .append("<text x=\"0\" y=\"18\">zero probe</text><rect x=\"100\" y=\"6\" height=\"16\" width=\"").append(wa).append("\" fill=\"#0072B2\"/>")
            .append("<text x=\"").append(108 + wa).append("\" y=\"18\">").append(esc(la)).append("</text>")
            .append("<text x=\"0\" y=\"44\">make-zero</text><rect x=\"100\" y=\"32\" height=\"16\" width=\"").append(wb).append("\" fill=\"#E69F00\"/>")
            .append("<text x=\"").append(108 + wb).append("\" y=\"44\">").append(esc(lb)).append("</text></svg><figcaption>")
            .append(esc(what)).append("</figcaption></figure>\n");
    }

    // ---- text ----

    private static String ms(Side s) {
        return s.wallMillis() < 0 ? "not run" : String.format(Locale.ROOT, "%.2f ms", s.wallMillis());
    }

    private static String summary(Cost c) { return c == null ? "none recorded" : c.summary(); }

    private static String commands(Map<String, Long> m) {
        if (m == null || m.isEmpty()) return "";
        StringBuilder sb = new StringBuilder(" (");
        m.forEach((k, v) -> sb.append(sb.length() > 2 ? ", " : "").append(k).append(' ').append(v));
        return sb.append(')').toString();
    }

    private static String name(Enum<?> e) { return e == null ? "none" : e.name(); }

    private static String word(String enumName) { return enumName.toLowerCase(Locale.ROOT).replace('_', ' '); }

    private static String time(Instant t) { return t == null ? "(unknown time)" : t.toString(); }

    /** HTML-escapes text for element content and quoted attribute values. */
    public static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') b.append("&#xFFFD;");
                    else b.append(c);
                }
            }
        }
        return b.toString();
    }

    private static final String CSS = """
        body { font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #1b1f24; background: #fff; }
        h1 { font-size: 1.6em; } h2 { font-size: 1.25em; border-bottom: 1px solid #d0d7de; padding-bottom: .2em; word-break: break-all; }
        h3 { font-size: 1.05em; margin-top: 1.5em; }
        .meta { color: #57606a; }
        table { border-collapse: collapse; margin: .5em 0; }
        th, td { border: 1px solid #d0d7de; padding: .25em .6em; text-align: left; vertical-align: top; }
        table.num td { font-variant-numeric: tabular-nums; }
        th.group { background: #f6f8fa; }
        pre.notes { background: #f6f8fa; padding: .6em; white-space: pre-wrap; }
        .sw { display: inline-block; width: .9em; height: .9em; vertical-align: -.1em; border: 1px solid #8c959f; }
        figure { margin: 1em 0; } figcaption { color: #57606a; }
        .bars text { font: 12px system-ui, sans-serif; fill: #1b1f24; }
        .winner { font-size: 1.05em; }
        footer { margin-top: 3em; color: #57606a; font-size: .9em; }
        """;
}
