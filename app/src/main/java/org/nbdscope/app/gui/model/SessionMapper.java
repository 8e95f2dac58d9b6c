package org.nbdscope.app.gui.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.nbdscope.engine.extent.ExtentDiff;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.session.TargetRef;
import org.nbdscope.engine.source.Sources;
import org.nbdscope.engine.report.ExtentExports;
import org.nbdscope.engine.report.HeatMapColors;
import org.nbdscope.engine.report.HeatMapRaster;
import org.nbdscope.engine.report.HtmlReport;
import org.nbdscope.engine.report.Png;
import org.nbdscope.engine.session.SavedComparison;
import org.nbdscope.engine.session.SavedMakeZero;
import org.nbdscope.engine.session.SavedProbe;
import org.nbdscope.engine.session.Session;
import org.nbdscope.engine.session.SessionFiles;
import org.nbdscope.engine.session.SessionLock;
import org.nbdscope.engine.session.SessionTarget;
import org.nbdscope.engine.session.SessionView;
import org.nbdscope.engine.session.TargetInfo;
import org.nbdscope.engine.session.TargetViewState;
import org.nbdscope.engine.zero.Comparison;
import org.nbdscope.engine.zero.MakeZeroResult;
import org.nbdscope.engine.zero.Plan;
import org.nbdscope.engine.zero.ProbeResult;

/**
 * Between the app's tabs and the engine's session files ({@link Session}, {@link SessionFiles}): a tab's part of
 * a save ({@link Pending}), the whole window at one moment ({@link Snapshot}), and the way back from a loaded
 * file to what a tab shows. The reading, writing, diffing and exporting are the engine's; this class converts.
 * {@link #snapshot} runs on the FX thread and copies nothing large; the rest runs on the task runner.
 */
public final class SessionMapper {
    private SessionMapper() {}

    /**
     * One tab's part of a save: its history (every scan and result, oldest first; it may still be encoding the
     * newest scan's map), and the facts, notes and view as they are now.
     */
    public record Pending(CompletableFuture<SessionTarget> history, TargetInfo facts, String notes, TargetViewState view) {}

    /** The window's state to write: the session it came from (its creation time and unknown fields are kept). */
    public record Snapshot(Session base, List<Pending> targets, Theme theme, int selected) {}

    /** Takes the tabs' state now (FX thread). */
    static Snapshot snapshot(Session base, List<TargetModel> targets, Theme theme, TargetModel selected) {
        List<Pending> out = new ArrayList<>();
        for (TargetModel m : targets) out.add(m.pending());
        return new Snapshot(base, List.copyOf(out), theme, targets.indexOf(selected));
    }

    /** The session a snapshot stands for (task runner: waits for the tabs' histories). */
    static Session build(Snapshot s) {
        List<SessionTarget> targets = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        String selectedId = null;
        for (int i = 0; i < s.targets().size(); i++) {
            Pending p = s.targets().get(i);
            SessionTarget t = p.history().join();
            if (p.facts() != null) t = t.withFacts(p.facts());
            t = t.withNotes(p.notes()).withView(p.view());
            String stored = stored(t.target().target());
            String id = t.id();
            if (!stored.equals(t.target().target())) {
                t = new SessionTarget(t.id(), new TargetRef(stored, t.target().options()), t.facts(), t.scans(), t.probes(),
                    t.makeZeros(), t.comparisons(), t.notes(), t.view(), t.extra());
            }
            for (int n = i + 1; !ids.add(id); n++) id = "t" + n;
            if (!id.equals(t.id())) {
                t = new SessionTarget(id, t.target(), t.facts(), t.scans(), t.probes(), t.makeZeros(), t.comparisons(), t.notes(),
                    t.view(), t.extra());
            }
            if (i == s.selected()) selectedId = id;
            targets.add(t);
        }
        SessionView view = s.base().view().withTheme(s.theme() == null ? null : s.theme().id()).withSelectedTarget(selectedId);
        return s.base().withTargets(targets).withView(view);
    }

    /**
     * How a target is kept (task runner: it looks at the file system): image files by their absolute path, so the
     * session opens from any folder; URIs, {@code demo} and {@code memory:} as given.
     */
    static String stored(String target) {
        if (NbdUri.looksLikeNbd(target) || Sources.DEMO.equals(target) || target.startsWith("memory:")) return target;
        try {
            Path p = Path.of(target);
            return Files.exists(p) ? p.toAbsolutePath().normalize().toString() : target;
        } catch (java.nio.file.InvalidPathException e) {
            return target;
        }
    }

    /** Writes a snapshot atomically through the engine (the previous file kept as {@code .bak}); returns what was written. */
    static Session write(Snapshot s, Path file) throws IOException {
        return SessionFiles.write(file, build(s));
    }

    /**
     * What {@link #writeUnlessChanged} did: {@code written} null when an autosave left the file alone; the
     * file's stamp afterwards; whether the file had been saved by another program since {@code expected}.
     */
    record WriteResult(Session written, DiskStamp stamp, boolean replacedOutsideChange) {}

    /**
     * Writes a snapshot as {@link #write} does, under the session file's lock (as the command line's
     * {@code --save} updates it), first comparing the file with {@code expected}, its stamp when this window
     * last read or wrote it (null: no comparison). When another program saved it meanwhile an autosave
     * writes nothing; a save writes and says so (the other version stays as {@code .bak}). A save also
     * removes {@code autosaveToRemove} (the untitled session's autosave), when given.
     */
    static WriteResult writeUnlessChanged(Snapshot s, Path file, DiskStamp expected, boolean isAutosave, Path autosaveToRemove)
            throws IOException {
        return SessionLock.holding(file, () -> {
            DiskStamp now = DiskStamp.of(file);
            boolean outside = expected != null && now != null && !expected.equals(now);
            if (outside && isAutosave) return new WriteResult(null, now, true);
            Session written = write(s, file);
            if (autosaveToRemove != null) Files.deleteIfExists(autosaveToRemove);
            return new WriteResult(written, DiskStamp.of(file), outside);
        });
    }

    /** Reads a session file; a broken one throws with a message naming what is wrong. */
    static Session read(Path file) throws IOException {
        return SessionFiles.read(file);
    }

    /** A new, empty session of this build. */
    static Session empty() {
        return Session.create(SessionFiles.nbdscopeVersion());
    }

    /** The theme a session was saved with, or null. */
    static Theme theme(Session s) {
        String id = s.view().theme();
        if (id == null) return null;
        for (Theme t : Theme.values()) if (t.id().equals(id)) return t;
        return null;
    }

    /** The index of the tab that was selected, or 0. */
    static int selected(Session s) {
        String id = s.view().selectedTarget();
        for (int i = 0; i < s.targets().size(); i++) if (s.targets().get(i).id().equals(id)) return i;
        return 0;
    }

    /**
     * Shows a reopened tab's newest results in its compare panel: the newest probe and the newest make-zero (run
     * or plan), or the newest comparison when nothing came after it, with its verdict.
     */
    static void restoreResults(SessionTarget t, CompareModel compare) {
        ProbeResult probe = null;
        Instant probeAt = null;
        for (SavedProbe p : t.probes()) {
            if (probeAt == null || !p.at().isBefore(probeAt)) {
                probe = p.result();
                probeAt = p.at();
            }
        }
        MakeZeroResult run = null;
        Plan plan = null;
        Instant zeroAt = null;
        for (SavedMakeZero z : t.makeZeros()) {
            if (zeroAt == null || !z.at().isBefore(zeroAt)) {
                run = z.result();
                plan = z.plan();
                zeroAt = z.at();
            }
        }
        Comparison cmp = null;
        Instant cmpAt = null;
        for (SavedComparison c : t.comparisons()) {
            if (cmpAt == null || !c.at().isBefore(cmpAt)) {
                cmp = c.comparison();
                cmpAt = c.at();
            }
        }
        if (cmp != null && (probeAt == null || !cmpAt.isBefore(probeAt)) && (zeroAt == null || !cmpAt.isBefore(zeroAt))) {
            probe = cmp.probeResult();
            run = cmp.makeZeroResult();
            plan = cmp.plan();
        } else {
            cmp = null;
        }
        Instant when = latest(latest(probeAt, zeroAt), cmp == null ? null : cmpAt);
        if (probe == null && run == null && plan == null) return;
        compare.restore(probe, run, plan, cmp, "saved " + Units.timestamp(when));
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }

    /** The table filter as a session saves it ({@code ALL} or a kind's name). */
    static String kindFilter(ExtentKind k) {
        return k == null ? "ALL" : k.name();
    }

    /** The table filter of a saved name; null (every kind) for {@code ALL}, null or a name this build does not know. */
    static ExtentKind kindFilter(String s) {
        if (s == null) return null;
        try {
            return ExtentKind.valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The engine's diff from an older scan to a newer one (task runner). */
    static ExtentDiff diff(ExtentMap before, ExtentMap after) {
        return ExtentDiff.of(before, after);
    }

    /** What one export needs, taken on the FX thread: the map shown, its changes (or null), the colours. */
    record ExportJob(AppModel.Export kind, ExtentMap map, ExtentDiff changes, HeatMapColors colors, Snapshot session) {}

    /**
     * Writes an export through the engine's exporters (task runner): the heat-map as a PNG of the whole disk at
     * {@code width} by {@code height} (changed cells outlined when there are changes), the extents as CSV or
     * nbdinfo JSON, or the session's report as one self-contained HTML file. Written with the engine's
     * {@link SessionFiles#writeAtomically} (as the command line's exports are), so a failed export never leaves
     * half a file under the chosen name.
     */
    static void export(ExportJob job, Path file, int width, int height) throws IOException {
        SessionFiles.Content content = switch (job.kind()) {
            case PNG -> bytes(Png.encode(HeatMapRaster.render(job.map(), 0, job.map().size(), width, height,
                HeatMapRaster.Layout.APP, job.colors(), job.changes())));
            // the extents stream into the file: ten million of them are ~400 MB of text
            case CSV -> out -> ExtentExports.writeUtf8(out, w -> ExtentExports.csv(job.map(), BlockStatusFlags.BASE_ALLOCATION, w));
            case JSON -> out -> ExtentExports.writeUtf8(out, w -> ExtentExports.nbdinfoJson(job.map(), BlockStatusFlags.BASE_ALLOCATION, w));
            case HTML -> bytes(HtmlReport.render(build(job.session()), new HtmlReport.Options(800, 320, job.colors(), 200))
                .getBytes(StandardCharsets.UTF_8));
        };
        SessionFiles.writeAtomically(file, content, false);
    }

    private static SessionFiles.Content bytes(byte[] b) {
        return out -> out.write(b);
    }

}
