package org.nbdscope.app.gui.model;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.nbdscope.app.gui.task.TaskRunner;
import org.nbdscope.engine.session.Session;
import org.nbdscope.engine.session.SessionFiles;
import org.nbdscope.engine.session.SessionTarget;

/**
 * The whole window's state: the open targets (tabs), the theme, recent targets, the window's bounds, and
 * notices for the user. Owns the settings and saves them through the task runner.
 *
 * <p>The window's tabs are one session: {@link #save()}, {@link #saveAs}, {@link #openSession} and autosave
 * write and read it as a {@code .nbdscope} file through the engine's atomic session files, always on the task
 * runner. The session is dirty when a target was opened or closed, a scan finished, a probe or make-zero
 * produced results, or notes were edited since the last save (zooming and panning are saved, but do not by
 * themselves make it dirty).
 */
public final class AppModel {
    /** The file name suffix of session files. */
    public static final String SESSION_SUFFIX = ".nbdscope";
    /** The name of a session that has no file yet. */
    public static final String UNTITLED = "Untitled session";

    /** What the Export menu writes. */
    public enum Export { PNG, CSV, JSON, HTML }

    /** An autosaved session found at start: where, when, what it holds. */
    public record Recovery(Path file, String name, String when, String summary, Session loaded) {}

    private final TargetOpener opener;
    private final TaskRunner runner;
    private final AppSettings settings;
    private final ObservableList<TargetModel> targets = FXCollections.observableArrayList();
    private final ObservableList<TargetModel> targetsView = FXCollections.unmodifiableObservableList(targets);
    private final ObjectProperty<TargetModel> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(this, "theme");
    private final ObservableList<String> recent = FXCollections.observableArrayList();
    private final ObservableList<Notice> notices = FXCollections.observableArrayList();
    private final ObservableList<String> recentSessions = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<Path> sessionFile = new ReadOnlyObjectWrapper<>(this, "sessionFile");
    private final ReadOnlyStringWrapper sessionName = new ReadOnlyStringWrapper(this, "sessionName", UNTITLED);
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper(this, "dirty");
    private final ReadOnlyBooleanWrapper openingSession = new ReadOnlyBooleanWrapper(this, "openingSession");
    private final Autosave autosave;
    /** Changes counted since start; the session is dirty while it differs from what the last save wrote. */
    private long changes;
    private long savedAt;
    private long autosavedAt;
    private int writesInFlight;
    /** The session file as this window last read or wrote it, to notice another program saving it meanwhile. */
    private DiskStamp diskStamp;
    /** The outside change an autosave already stopped for (said once, not every minute). */
    private DiskStamp pausedFor;
    /** The session the tabs came from (or a new one): its creation time and unknown fields are written back. */
    private Session base = SessionMapper.empty();
    private volatile boolean cleanExit;

    public AppModel(TargetOpener opener, TaskRunner runner, AppSettings settings) {
        this.opener = opener;
        this.runner = runner;
        this.settings = settings;
        theme.set(settings.theme());
        recent.setAll(settings.recentTargets());
        recentSessions.setAll(settings.recentSessions());
        theme.addListener((o, a, b) -> {
            settings.setTheme(b);
            saveLater();
        });
        sessionFile.addListener((o, a, f) -> sessionName.set(f == null ? UNTITLED : String.valueOf(f.getFileName())));
        autosave = new Autosave(this::autosaveNow);
        if (settings.file() != null) autosave.start();
    }

    public TaskRunner runner() { return runner; }

    public ObservableList<TargetModel> targets() { return targetsView; }

    /** The target whose tab is shown. */
    public ObjectProperty<TargetModel> selectedProperty() { return selected; }

    public ObjectProperty<Theme> themeProperty() { return theme; }

    /** Most recent first. */
    public ObservableList<String> recentTargets() { return recent; }

    /** Everything the user was told, newest last; the view shows each new one. */
    public ObservableList<Notice> notices() { return notices; }

    public AppSettings.WindowBounds windowBounds(AppSettings.WindowBounds fallback) {
        return settings.windowBounds().orElse(fallback);
    }

    /** Opens a target in a new tab, or selects its tab when it is already open. */
    public TargetModel open(String target) {
        String t = target == null ? "" : target.strip();
        if (t.isEmpty()) return null;
        for (TargetModel m : targets) {
            if (m.target().equals(t) && m.state() != TargetModel.State.FAILED) {
                selected.set(m);
                return m;
            }
        }
        TargetModel m = new TargetModel(t, opener, runner, this::report, theme);
        adopt(m);
        targets.add(m);
        selected.set(m);
        changed();
        m.stateProperty().addListener((o, a, b) -> {
            if (a == TargetModel.State.CONNECTING && b != TargetModel.State.FAILED) remember(t);
        });
        m.open();
        return m;
    }

    public void close(TargetModel m) {
        m.close();
        int i = targets.indexOf(m);
        if (!targets.remove(m)) return;
        if (selected.get() == m) selected.set(targets.isEmpty() ? null : targets.get(Math.max(0, i - 1)));
        changed();
    }

    /** Tells the user; called on the FX thread. */
    public void report(Notice n) {
        notices.add(n);
    }

    public void rememberWindow(AppSettings.WindowBounds b) {
        settings.setWindowBounds(b);
    }

    /** Closes every target; the caller saves the settings afterwards with {@link #saveSettings()}. */
    public void shutdown() {
        autosave.stop();
        for (TargetModel m : new ArrayList<>(targets)) m.close();
    }

    /** Writes the settings now, on the calling thread (at exit, off the FX thread). */
    public void saveSettings() {
        settings.save();
    }

    private void remember(String t) {
        List<String> r = new ArrayList<>(recent);
        r.remove(t);
        r.addFirst(t);
        while (r.size() > AppSettings.MAX_RECENT) r.removeLast();
        recent.setAll(r);
        settings.setRecentTargets(r);
        saveLater();
    }

    // ---- sessions ----

    /** True for a path that names a session file ({@code *.nbdscope}). */
    public static boolean isSessionFile(String target) {
        return target != null && target.strip().toLowerCase(java.util.Locale.ROOT).endsWith(SESSION_SUFFIX)
            && !target.contains("://");
    }

    /** The session's file, or null until it is saved. */
    public ReadOnlyObjectProperty<Path> sessionFileProperty() { return sessionFile.getReadOnlyProperty(); }

    /** The file's name, or {@value #UNTITLED}. */
    public ReadOnlyStringProperty sessionNameProperty() { return sessionName.getReadOnlyProperty(); }

    /** True while the session has changes its file does not hold (the title shows a star). */
    public ReadOnlyBooleanProperty dirtyProperty() { return dirty.getReadOnlyProperty(); }

    /** True while a session file is being read. */
    public ReadOnlyBooleanProperty openingSessionProperty() { return openingSession.getReadOnlyProperty(); }

    /** Session files, most recent first. */
    public ObservableList<String> recentSessions() { return recentSessions; }

    /** The autosave clock (its interval; tests call {@link #autosaveNow()} themselves). */
    public Autosave autosave() { return autosave; }

    /** Notes that something a session saves changed. */
    void changed() {
        changes++;
        dirty.set(changes != savedAt);
    }

    private void adopt(TargetModel m) {
        m.onChange(() -> {
            if (targets.contains(m)) changed();
        });
    }

    /**
     * True when closing or replacing the session would lose work: it is dirty, has a tab, and either has a file or holds
     * something a new scan cannot give back (notes, probe or make-zero results, a saved scan, changes since one).
     * Tabs that were only opened and scanned are not asked about: scanning again gives them back.
     */
    public boolean hasUnsavedWork() {
        if (!dirty.get() || targets.isEmpty()) return false;
        return sessionFile.get() != null || targets.stream().anyMatch(TargetModel::holdsWork);
    }

    /** What is unsaved, in a few words: {@code 2 targets, notes on 1, results on 1}. */
    public String unsavedSummary() {
        long notes = targets.stream().filter(t -> !t.notesProperty().get().isBlank()).count();
        long results = targets.stream().filter(TargetModel::hasResults).count();
        StringBuilder sb = new StringBuilder(targets.size() == 1 ? "1 target" : targets.size() + " targets");
        if (notes > 0) sb.append(", notes on ").append(notes);
        if (results > 0) sb.append(", probe or make-zero results on ").append(results);
        return sb.toString();
    }

    /** Saves to the session's file; completes (on the FX thread) true when written, false without a file or on failure. */
    public CompletableFuture<Boolean> save() {
        Path f = sessionFile.get();
        if (f == null) return CompletableFuture.completedFuture(false);
        return write(f, false);
    }

    /** Saves to {@code file}, which becomes the session's file when the write worked. */
    public CompletableFuture<Boolean> saveAs(Path file) {
        return write(file.toAbsolutePath(), false);
    }

    /**
     * Writes the session: the state is taken now on the FX thread (the scans' maps are shared, not copied), and
     * written on the task runner through the engine's atomic save (temporary file, fsync, rename; the old
     * version kept as {@code .bak}). A failure leaves the old file as it was and tells the user why.
     */
    private CompletableFuture<Boolean> write(Path file, boolean isAutosave) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        long at = changes;
        SessionMapper.Snapshot snap = SessionMapper.snapshot(base, targets, theme.get(), selected.get());
        Path autosaveFile = settings.autosaveFile();
        DiskStamp expected = file.equals(sessionFile.get()) ? diskStamp : null;
        writesInFlight++;
        runner.background(isAutosave ? "autosave" : "save-session",
            () -> SessionMapper.writeUnlessChanged(snap, file, expected, isAutosave, isAutosave ? null : autosaveFile))
        .whenComplete((result, e) -> runner.onFx(() -> {
            writesInFlight--;
            if (e == null && result.written() == null) {   // an autosave that would replace another program's save
                if (!result.stamp().equals(pausedFor)) {
                    pausedFor = result.stamp();
                    report(new Notice(Notice.Severity.ERROR, "Autosave paused", file + " was saved by another program since this window "
                        + "opened or saved it; autosave leaves it alone. Save replaces it (its version is then kept as "
                        + SessionFiles.backupOf(file).getFileName() + "); Save As keeps both."));
                }
                done.complete(false);
                return;
            }
            Session written = result == null ? null : result.written();
            if (e != null) {
                String msg = Notice.messageOf(e);
                if (!msg.contains(file.toString())) msg = "cannot save the session to " + file + ": " + msg;
                if (!msg.contains("unchanged")) msg += "; the previous file is unchanged";
                report(new Notice(Notice.Severity.ERROR, isAutosave ? "Autosave failed" : "Save failed", msg));
                done.complete(false);
                return;
            }
            if (!file.equals(settings.autosaveFile())) base = written.withTargets(List.of());
            if (isAutosave) {
                autosavedAt = at;
                if (file.equals(sessionFile.get())) {
                    markSaved(at);
                    diskStamp = result.stamp();
                }
            } else {
                sessionFile.set(file);
                diskStamp = result.stamp();
                pausedFor = null;
                markSaved(at);
                rememberSession(file);
                report(result.replacedOutsideChange()
                    ? new Notice(Notice.Severity.ERROR, "Saved over another program's save", "session " + file + ": it had been saved by "
                        + "another program since this window opened or saved it; that version is kept as "
                        + SessionFiles.backupOf(file).getFileName())
                    : new Notice(Notice.Severity.INFO, "Saved", "session " + file));
            }
            done.complete(true);
        }));
        return done;
    }

    private void markSaved(long at) {
        savedAt = at;
        autosavedAt = at;
        dirty.set(changes != savedAt);
    }

    /**
     * Autosave (every {@link Autosave#interval()}, and when tests call it): when the session changed since the
     * last write, a session with a file is written to its file (the previous version stays as {@code .bak});
     * an untitled session that holds work goes to {@code autosave.nbdscope} in the settings folder, offered
     * back at the next start when the app did not close cleanly. Completes true when it wrote.
     */
    public CompletableFuture<Boolean> autosaveNow() {
        if (!dirty.get() || changes == autosavedAt || writesInFlight > 0 || targets.stream().anyMatch(TargetModel::scanning)) {
            return CompletableFuture.completedFuture(false);
        }
        Path f = sessionFile.get();
        if (f == null) {
            f = settings.autosaveFile();
            if (f == null || !hasUnsavedWork()) return CompletableFuture.completedFuture(false);
        }
        return write(f, true);
    }

    /** Opens a session file in place of the open tabs (the view asked about unsaved changes first). */
    public CompletableFuture<Boolean> openSession(Path file) {
        Path f = file.toAbsolutePath();
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        openingSession.set(true);
        runner.background("open-session", () -> {
            DiskStamp stamp = DiskStamp.of(f);   // before reading: a save in between shows as a change later
            return new Opened(SessionMapper.read(f), stamp);
        }).whenComplete((read, e) -> runner.onFx(() -> {
            Session loaded = read == null ? null : read.session();
            if (e != null) {
                report(openFailure(f, e));
                openingSession.set(false);
                done.complete(false);
                return;
            }
            replaceWith(loaded);
            openingSession.set(false);
            sessionFile.set(f);
            diskStamp = read.stamp();
            pausedFor = null;
            markSaved(changes);
            rememberSession(f);
            int n = loaded.targets().size();
            report(new Notice(Notice.Severity.INFO, "Opened", "session " + f + " (" + (n == 1 ? "1 target" : n + " targets")
                + ", saved " + Units.timestamp(loaded.modified()) + "), offline until you rescan"));
            done.complete(true);
        }));
        return done;
    }

    private record Opened(Session session, DiskStamp stamp) {}

    /** "Cannot open session: FILE: what is wrong", naming the file once. */
    private static Notice openFailure(Path f, Throwable e) {
        String msg = Notice.messageOf(e);
        return new Notice(Notice.Severity.ERROR, "Cannot open session", msg.contains(f.toString()) ? msg : f + ": " + msg);
    }

    private void replaceWith(Session loaded) {
        for (TargetModel m : new ArrayList<>(targets)) m.close();
        targets.clear();
        selected.set(null);
        base = loaded.withTargets(List.of());
        Theme t = SessionMapper.theme(loaded);
        if (t != null) theme.set(t);
        List<TargetModel> restored = new ArrayList<>();
        for (SessionTarget s : loaded.targets()) {
            TargetModel m = TargetModel.saved(s, opener, runner, this::report, theme);
            adopt(m);
            restored.add(m);
        }
        targets.setAll(restored);
        selected.set(restored.isEmpty() ? null : restored.get(Math.min(restored.size() - 1, SessionMapper.selected(loaded))));
    }

    /** At start: the autosave of a run that did not close cleanly, read in the background (empty when none). */
    public CompletableFuture<Optional<Recovery>> recoverable() {
        Path f = settings.autosaveFile();
        CompletableFuture<Optional<Recovery>> out = new CompletableFuture<>();
        if (f == null) {
            out.complete(Optional.empty());
            return out;
        }
        runner.background("find-autosave", () -> java.nio.file.Files.isRegularFile(f) ? SessionMapper.read(f) : null)
            .whenComplete((loaded, e) -> runner.onFx(() -> {
                if (e != null) {
                    report(openFailure(f, e));
                    out.complete(Optional.empty());
                } else if (loaded == null) {
                    out.complete(Optional.empty());
                } else {
                    int n = loaded.targets().size();
                    out.complete(Optional.of(new Recovery(f, UNTITLED, Units.timestamp(loaded.modified()),
                        n == 1 ? "1 target" : n + " targets", loaded)));
                }
            }));
        return out;
    }

    /** Shows a recovered autosave as an untitled session with unsaved changes. */
    public void recover(Recovery r) {
        replaceWith(r.loaded());
        sessionFile.set(null);
        changed();
    }

    /** Deletes the autosave the user chose not to recover. */
    public void discardRecovery(Recovery r) {
        runner.background("discard-autosave", () -> java.nio.file.Files.deleteIfExists(r.file()));
    }

    /** The window closes on purpose (after saving or choosing not to): the autosave is no longer needed. */
    public void closedCleanly() {
        cleanExit = true;
        autosave.stop();
    }

    /** At exit, off the FX thread: deletes the autosave when the window was closed on purpose. */
    public void finishAutosave() {
        Path f = settings.autosaveFile();
        if (!cleanExit || f == null) return;
        try {
            java.nio.file.Files.deleteIfExists(f);
        } catch (java.io.IOException e) {
            // the next start offers it again; nothing is lost
        }
    }

    private void rememberSession(Path f) {
        String s = f.toString();
        List<String> r = new ArrayList<>(recentSessions);
        r.remove(s);
        r.addFirst(s);
        while (r.size() > AppSettings.MAX_RECENT) r.removeLast();
        recentSessions.setAll(r);
        settings.setRecentSessions(r);
        saveLater();
    }

    // ---- exports ----

    /** A file name stem for a target's exports: its title without characters file systems dislike. */
    public static String fileNameFor(TargetModel m) {
        String s = m.titleProperty().get().replaceAll("^[a-z+]+://", "").replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "nbdscope" : s;
    }

    /**
     * Exports through the engine's exporters on the task runner: the target's heat-map as a PNG of {@code width}
     * by {@code height} (the whole disk, changed cells outlined), its extents as CSV or nbdinfo JSON, or the
     * session's report (every tab) as one HTML file. The tab's status line shows the export while it runs; the
     * outcome comes as a notice. Completes (FX thread) true when written.
     */
    public CompletableFuture<Boolean> export(TargetModel m, Export kind, Path file, int width, int height) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        if (m.shownMap() == null) {
            done.complete(false);
            return done;
        }
        Palette p = theme.get().palette();
        SessionMapper.ExportJob job = new SessionMapper.ExportJob(kind, m.shownMap(), m.changes().diff(),
            p.heatMapColors(p.changed()), kind == Export.HTML ? SessionMapper.snapshot(base, targets, theme.get(), m) : null);
        String what = switch (kind) {
            case PNG -> "heat-map image (" + width + " × " + height + ")";
            case CSV -> "extents as CSV";
            case JSON -> "extents as nbdinfo JSON";
            case HTML -> "report as HTML";
        };
        m.exporting(what);
        runner.background("export-" + kind.name().toLowerCase(java.util.Locale.ROOT), () -> {
            SessionMapper.export(job, file, width, height);
            return null;
        }).whenComplete((v, e) -> runner.onFx(() -> {
            m.exporting(null);
            report(e == null ? new Notice(Notice.Severity.INFO, "Exported", what + " to " + file)
                : Notice.error("Cannot export the " + what + " to " + file, e));
            done.complete(e == null);
        }));
        return done;
    }

    private void saveLater() {
        runner.background("save-settings", () -> {
            settings.save();
            return null;
        }).whenComplete((v, e) -> {
            if (e != null) runner.onFx(() -> report(Notice.error("Cannot save settings", e)));
        });
    }
}
