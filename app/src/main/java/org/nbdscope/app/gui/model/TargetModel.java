package org.nbdscope.app.gui.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.nbdscope.app.gui.task.Coalescer;
import org.nbdscope.app.gui.task.TaskRunner;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanHandle;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.session.SavedComparison;
import org.nbdscope.engine.session.SavedMakeZero;
import org.nbdscope.engine.session.SavedProbe;
import org.nbdscope.engine.session.SavedScan;
import org.nbdscope.engine.session.SessionTarget;
import org.nbdscope.engine.session.TargetInfo;
import org.nbdscope.engine.session.TargetRef;
import org.nbdscope.engine.session.TargetViewState;
import org.nbdscope.engine.source.OpenOptions;
import org.nbdscope.engine.source.SourceDetails;
import org.nbdscope.engine.zero.Comparison;
import org.nbdscope.engine.zero.Cost;
import org.nbdscope.engine.zero.MakeZeroResult;
import org.nbdscope.engine.zero.Plan;
import org.nbdscope.engine.zero.ProbeResult;
import org.nbdscope.engine.zero.TargetFacts;
import org.nbdscope.engine.zero.ZeroTarget;
import org.nbdscope.engine.source.WireStats;

/**
 * One open target (a tab): opening it, scanning it, and everything the tab shows about it. Engine
 * callbacks arrive on I/O threads; they only note what happened and request the coalescer, which
 * publishes to the properties here at most once per frame on the FX thread.
 */
public final class TargetModel {
    /** {@code SAVED}: reopened from a session file, showing its saved scan without a connection. */
    public enum State { CONNECTING, SCANNING, COMPLETE, CANCELLED, FAILED, CLOSED, SAVED }

    private final String target;
    private final TargetOpener opener;
    private final TaskRunner runner;
    private final Consumer<Notice> notices;
    private final ObservableValue<Theme> theme;
    private final Coalescer publisher;

    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title");
    private final ReadOnlyObjectWrapper<State> state = new ReadOnlyObjectWrapper<>(this, "state", State.CONNECTING);
    private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper(this, "statusText", "");
    private final ReadOnlyStringWrapper connectionText = new ReadOnlyStringWrapper(this, "connectionText", "");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", -1);
    private final ReadOnlyBooleanWrapper scanning = new ReadOnlyBooleanWrapper(this, "scanning");
    private final ReadOnlyBooleanWrapper connected = new ReadOnlyBooleanWrapper(this, "connected");
    private final ReadOnlyObjectWrapper<HeatMapModel> heatMap = new ReadOnlyObjectWrapper<>(this, "heatMap");
    private final ReadOnlyObjectWrapper<KindTotals> totals = new ReadOnlyObjectWrapper<>(this, "totals");
    private final ObservableList<DetailRow> details = FXCollections.observableArrayList();
    private final ExtentTableModel table = new ExtentTableModel();
    private final CompareModel compare;
    private final StringProperty notes = new SimpleStringProperty(this, "notes", "");
    private final ChangesModel changes = new ChangesModel(this::showChange);
    private Runnable changed = () -> { };

    private volatile BlockSource source;
    private volatile ScanHandle scan;
    private volatile ScanResult finished;
    private volatile Throwable startFailure;
    private volatile long requests;
    /** The index of the running scan's map, fed on the scan's thread so the FX thread only rebins. */
    private volatile RebinIndex liveIndex;
    private volatile int generation;
    private boolean cancelRequested;
    private long scanStarted;
    private ExtentMap shownMap;
    private List<DetailRow> sourceRows = List.of();
    /** The scan a saved target was reopened with: a rescan shows what changed since it. */
    private SavedScan baseline;
    /** What the session file keeps of this tab: every scan and result so far, appended in order on the task runner. */
    private CompletableFuture<SessionTarget> history;
    /** What was negotiated or parsed when the target was last opened (as saved for a reopened one). */
    private TargetInfo facts;
    private long size = -1;
    private boolean readOnly = true;
    private String statusBeforeExport;

    TargetModel(String target, TargetOpener opener, TaskRunner runner, Consumer<Notice> notices, ObservableValue<Theme> theme) {
        this.target = target;
        this.opener = opener;
        this.runner = runner;
        this.notices = notices;
        this.theme = theme;
        this.publisher = runner.coalescer(this::publish);
        this.compare = new CompareModel(runner, notices, scanning.getReadOnlyProperty(), this::rescan);
        title.set(target);
        history = CompletableFuture.completedFuture(SessionTarget.of("t1", TargetRef.of(target, OpenOptions.defaults()), null));
        compare.onResults(this::recordResults);
        notes.addListener((o, a, b) -> changed.run());
        compare.busyProperty().addListener((o, a, b) -> {
            if (!b) changed.run();
        });
        changes.shownProperty().addListener((o, a, b) -> showChanges());
    }

    /**
     * A target reopened from a session: its heat-map, extents, totals, details, compare results, notes and view
     * as saved, without connecting. {@link #rescan()} connects and then shows what changed since.
     */
    static TargetModel saved(SessionTarget s, TargetOpener opener, TaskRunner runner, Consumer<Notice> notices,
                             ObservableValue<Theme> theme) {
        TargetModel m = new TargetModel(s.target().target(), opener, runner, notices, theme);
        m.restore(s);
        return m;
    }

    private void restore(SessionTarget s) {
        history = CompletableFuture.completedFuture(s);
        facts = s.facts();
        SavedScan latest = s.latestScan();
        baseline = latest;
        long sz = facts != null ? facts.size() : latest != null ? latest.map().size() : -1;
        if (facts != null) {
            title.set(facts.name() == null || TargetOpener.DEMO.equals(target) ? target : facts.name());
            readOnly = facts.readOnly();
            sourceRows = detailRows(facts);
        }
        notes.set(s.notes());
        SessionMapper.restoreResults(s, compare);
        if (sz <= 0) {
            connectionText.set("Offline · never scanned");
            statusText.set("Saved without a scan: Rescan (F5) connects to " + s.target().target());
            state.set(State.SAVED);
            return;
        }
        size = sz;
        List<DetailRow> all = new ArrayList<>(sourceRows);
        if (latest != null) all.addAll(scanRows(latest));
        details.setAll(all);
        HeatMapModel h = new HeatMapModel(sz);
        h.paletteProperty().bind(theme.map(Theme::palette));
        ExtentMap map = latest != null ? latest.map() : new ExtentMap(sz);
        shownMap = map;
        h.setMap(map);
        TargetViewState v = s.view();
        if (!v.whole(sz) && v.viewTo() > v.viewFrom()) h.setView(v.viewFrom(), v.viewTo());
        table.setMap(map);
        table.filterProperty().set(SessionMapper.kindFilter(v.kindFilter()));
        heatMap.set(h);
        totals.set(h.totals());
        long known = map.covered();
        progress.set((double) known / sz);
        connectionText.set("Offline · saved scan");
        statusText.set((latest == null ? "Saved without a scan" : "Saved scan taken " + Units.timestamp(latest.at())) + " · "
            + Units.bytes(known) + " of " + Units.bytes(sz) + " scanned · " + count(map.count(), "extent")
            + " · offline: Rescan (F5) shows what changed");
        state.set(State.SAVED);
        SavedScan previous = s.previousScan();
        if (previous != null && latest != null) diff(previous.map(), latest.map(), previous.at());
    }

    /** This tab's part of a session save, taken now on the FX thread; the history may still be encoding a scan. */
    SessionMapper.Pending pending() {
        HeatMapModel h = heatMap.get();
        TargetViewState view = TargetViewState.WHOLE;
        if (h != null && (h.viewFrom() > 0 || h.viewTo() < h.size())) {
            view = new TargetViewState((double) h.size() / Math.max(1, h.viewTo() - h.viewFrom()), h.viewFrom(), h.viewTo(),
                SessionMapper.kindFilter(table.filterProperty().get()));
        } else if (table.filterProperty().get() != null) {
            view = new TargetViewState(1, 0, 0, SessionMapper.kindFilter(table.filterProperty().get()));
        }
        return new SessionMapper.Pending(history, facts, notes.get(), view);
    }

    /** Appends to the session history on the task runner, in order (encoding a scan's map takes a while). */
    private void record(String what, java.util.function.Function<SessionTarget, SessionTarget> change) {
        CompletableFuture<SessionTarget> before = history;
        history = before.thenCompose(t -> runner.background("record-" + what, () -> change.apply(t))
            .exceptionally(e -> {
                runner.onFx(() -> notices.accept(Notice.error("The " + what + " of " + title.get() + " cannot be kept for the session", e)));
                return t;
            }));
        changed.run();
    }

    private void recordResults(CompareModel.Job job, ZeroTarget t, ProbeResult p, MakeZeroResult run, Plan plan, Comparison c) {
        Instant at = Instant.now();
        record("results", h -> {
            TargetFacts f = TargetFacts.of(t);
            SessionTarget out = h;
            if (job == CompareModel.Job.COMPARE && c != null) return out.withComparison(new SavedComparison(at, c));
            if (p != null) out = out.withProbe(new SavedProbe(at, f, p));
            if (run != null || plan != null) out = out.withMakeZero(new SavedMakeZero(at, f, run, run != null ? null : plan));
            if (c != null) out = out.withComparison(new SavedComparison(at, c));
            return out;
        });
    }

    /** True when the target holds work a new scan cannot give back: notes, results, a saved scan or its changes. */
    boolean holdsWork() {
        return !notes.get().isBlank() || hasResults() || baseline != null || changes.availableProperty().get()
            || state.get() == State.SAVED;
    }

    /** True when the compare panel has a probe, make-zero or plan result. */
    boolean hasResults() {
        return compare.lastProbe() != null || compare.lastRun() != null || compare.lastPlan() != null;
    }

    boolean scanning() { return scanning.get(); }

    /** The map the heat-map and the table show (the running scan's, or the saved one), or null before the first. */
    ExtentMap shownMap() { return shownMap; }

    /** Shows an export running ({@code what}) in the status line, or ends it (null). */
    void exporting(String what) {
        if (what != null) {
            statusBeforeExport = statusText.get();
            statusText.set("Exporting the " + what + "…");
        } else if (statusBeforeExport != null) {
            statusText.set(statusBeforeExport);
            statusBeforeExport = null;
        }
    }

    /** Called whenever something a session saves changed (the app marks its session dirty). */
    void onChange(Runnable r) { changed = r == null ? () -> { } : r; }

    // ---- what the view binds ----

    /** What the user asked for: URI, path or {@code demo}. */
    public String target() { return target; }

    public ReadOnlyStringProperty titleProperty() { return title.getReadOnlyProperty(); }

    public ReadOnlyObjectProperty<State> stateProperty() { return state.getReadOnlyProperty(); }

    public State state() { return state.get(); }

    /** Progress line: bytes and extents scanned, requests, rate, elapsed. */
    public ReadOnlyStringProperty statusTextProperty() { return statusText.getReadOnlyProperty(); }

    /** Connection state: connecting, connected (read-only or writable), failed, closed. */
    public ReadOnlyStringProperty connectionTextProperty() { return connectionText.getReadOnlyProperty(); }

    /** Share of the disk scanned, or -1 while connecting. */
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }

    /** True while a scan runs (the cancel control is enabled). */
    public ReadOnlyBooleanProperty scanningProperty() { return scanning.getReadOnlyProperty(); }

    /** True while the source is open. */
    public ReadOnlyBooleanProperty connectedProperty() { return connected.getReadOnlyProperty(); }

    /** The heat-map, once the target is open and its size known. */
    public ReadOnlyObjectProperty<HeatMapModel> heatMapProperty() { return heatMap.getReadOnlyProperty(); }

    public HeatMapModel heatMap() { return heatMap.get(); }

    /** Per-kind totals for the legend. */
    public ReadOnlyObjectProperty<KindTotals> totalsProperty() { return totals.getReadOnlyProperty(); }

    /** Export details: what was negotiated or parsed, then the last scan's cost. */
    public ObservableList<DetailRow> details() { return details; }

    public ExtentTableModel table() { return table; }

    /** The compare panel: zero-flag probe against make-zero on this target's source. */
    public CompareModel compare() { return compare; }

    /** The user's notes about this target, saved in the session. */
    public StringProperty notesProperty() { return notes; }

    /** What changed between the saved scan and the new one (after a rescan of a saved target). */
    public ChangesModel changes() { return changes; }

    private void showChange(ChangesModel.Region r) {
        HeatMapModel h = heatMap.get();
        if (h == null) return;
        long end = r.offset() + r.length();
        h.select(r.offset(), end);
        if (r.offset() < h.viewFrom() || end > h.viewTo()) h.centerOn(r.offset() + r.length() / 2);
    }

    private void showChanges() {
        HeatMapModel h = heatMap.get();
        if (h != null) h.setChanges(changes.shownProperty().get() ? changes.marks() : null);
    }

    // ---- actions ----

    /** Opens the target in the background, then scans it. */
    public void open() {
        state.set(State.CONNECTING);
        progress.set(-1);
        connectionText.set("Connecting…");
        statusText.set("Opening " + target + "…");
        runner.background("open", () -> opener.open(target))
            .whenComplete((src, err) -> runner.onFx(() -> opened(src, err)));
    }

    /** Scans again (a failed open is retried); waits while the compare panel runs a job on the connection. */
    public void rescan() {
        if (state.get() == State.CLOSED || state.get() == State.CONNECTING || compare.busy()) return;
        if (source == null) {
            open();
            return;
        }
        cancel();
        startScan();
    }

    /** Stops the running scan; what is known stays, the rest shows as not scanned. */
    public void cancel() {
        cancelRequested = true;
        ScanHandle h = scan;
        if (h != null) h.cancel();
    }

    /** Stops everything and releases the source in the background. */
    public void close() {
        cancel();
        compare.detach();
        state.set(State.CLOSED);
        scanning.set(false);
        connected.set(false);
        connectionText.set("Closed");
        BlockSource s = source;
        source = null;
        if (s != null) runner.background("close", () -> {
            s.close();
            return null;
        });
    }

    // ---- FX-thread steps ----

    private void opened(BlockSource src, Throwable err) {
        if (state.get() == State.CLOSED) {
            if (src != null) runner.background("close", () -> {
                src.close();
                return null;
            });
            return;
        }
        if (err != null) {
            progress.set(0);
            connectionText.set("Not connected");
            statusText.set("Could not open " + target + ": " + Notice.messageOf(err));
            state.set(State.FAILED);
            notices.accept(Notice.error("Cannot open " + target, err));
            return;
        }
        source = src;
        connected.set(true);
        // the built-in demo's own name is its private socket: the tab says "demo"
        title.set(TargetOpener.DEMO.equals(target) ? target : src.name());
        connectionText.set("Connected · " + (src.readOnly() ? "read-only" : "writable"));
        SourceDetails d = src.details();
        facts = TargetInfo.of(src.name(), src.size(), src.readOnly(), d);
        sourceRows = rows(d);
        details.setAll(sourceRows);
        size = src.size();
        readOnly = src.readOnly();
        HeatMapModel h = heatMap.get();
        if (h == null || h.size() != src.size()) {
            h = new HeatMapModel(src.size());
            h.paletteProperty().bind(theme.map(Theme::palette));
            heatMap.set(h);
        }
        h.setChanges(null);
        changes.clear();
        totals.set(KindTotals.empty(src.size()));
        if (baseline != null) compare.keepResultsOnAttach();
        compare.attach(src);
        startScan();
    }

    private void startScan() {
        BlockSource src = source;
        int gen = ++generation;
        cancelRequested = false;
        finished = null;
        startFailure = null;
        requests = 0;
        scan = null;
        scanStarted = System.nanoTime();
        state.set(State.SCANNING);
        scanning.set(true);
        progress.set(0);
        statusText.set("Scanning…");
        ScanOptions opts = ScanOptions.defaults().withInFlight(Math.max(1, Math.min(1024, src.preferredInFlight())));
        liveIndex = null;
        runner.background("scan", () -> ExtentScanner.start(src, opts, (bytes, extents, reqs) -> {
            if (gen != generation) return;
            requests = reqs;
            RebinIndex ix = liveIndex;
            if (ix != null) ix.update();
            publisher.request();
        })).whenComplete((h, err) -> runner.onFx(() -> scanStarted(gen, h, err)));
    }

    private void scanStarted(int gen, ScanHandle h, Throwable err) {
        if (gen != generation) {
            if (h != null) h.cancel();
            return;
        }
        if (err != null) {
            startFailure = err;
            publisher.request();
            return;
        }
        liveIndex = new RebinIndex(h.map());
        scan = h;
        if (cancelRequested || state.get() == State.CLOSED) h.cancel();
        h.result().whenComplete((r, e) -> {
            if (gen != generation) return;
            finished = r != null ? r : new ScanResult(ScanResult.Outcome.FAILED, h.map(), WireStats.ZERO, 0, Notice.messageOf(e));
            publisher.request();
        });
        publisher.request();
    }

    /** Once per frame at most: copies the scan's state into the properties. */
    private void publish() {
        if (state.get() == State.CLOSED) return;
        if (startFailure != null && state.get() == State.SCANNING) {
            scanning.set(false);
            statusText.set("Scan failed: " + Notice.messageOf(startFailure));
            state.set(State.FAILED);
            notices.accept(Notice.error("Scan of " + title.get() + " failed", startFailure));
            return;
        }
        ScanHandle h = scan;
        if (h == null) return;
        ExtentMap m = h.map();
        if (m != shownMap) {
            shownMap = m;
            heatMap.get().setMap(m, liveIndex);
            table.setMap(m);
        }
        heatMap.get().refresh();
        table.refresh();
        KindTotals t = heatMap.get().totals();
        totals.set(t);
        long known = t.size() - t.bytes(ExtentKind.UNKNOWN);
        progress.set(t.size() == 0 ? 1 : (double) known / t.size());
        ScanResult r = finished;
        long elapsed = r != null ? r.elapsedNanos() : System.nanoTime() - scanStarted;
        String figures = Units.bytes(known) + " of " + Units.bytes(t.size()) + " (" + Units.percent(progress.get()) + ") · "
            + count(m.count(), "extent") + " · " + count(requests, "request") + " · "
            + Units.rate(known / (elapsed / 1e9)) + " · " + Units.elapsed(elapsed);
        if (r == null || state.get() != State.SCANNING) {
            if (r == null) statusText.set("Scanning " + figures);
            return;
        }
        scanning.set(false);
        Instant at = Instant.now();
        SavedScan base = baseline;
        record("scan", st -> st.withScan(SavedScan.of(r, BlockStatusFlags.BASE_ALLOCATION, at)));
        List<DetailRow> all = new ArrayList<>(sourceRows);
        all.addAll(scanRows(r, at));
        details.setAll(all);
        if (base != null && r.outcome() != ScanResult.Outcome.FAILED) diff(base.map(), r.map(), base.at());
        switch (r.outcome()) {
            case COMPLETE -> {
                statusText.set("Scan complete · " + figures);
                state.set(State.COMPLETE);
            }
            case CANCELLED -> {
                statusText.set("Scan cancelled · the rest is not scanned · " + figures);
                state.set(State.CANCELLED);
            }
            case FAILED -> {
                statusText.set("Scan failed: " + r.error() + " · " + figures);
                state.set(State.FAILED);
                notices.accept(new Notice(Notice.Severity.ERROR, "Scan of " + title.get() + " failed", r.error()));
            }
        }
    }

    private static String count(long n, String what) {
        return Units.grouped(n) + " " + what + (n == 1 ? "" : "s");
    }

    /**
     * The engine's diff of an older scan against a newer one (a saved target's rescan, or the last two scans of a
     * reopened session), computed on the task runner, then shown in the Changes panel and on the heat-map.
     */
    private void diff(ExtentMap before, ExtentMap after, Instant beforeAt) {
        int gen = generation;
        String text = "scan of " + Units.timestamp(beforeAt);
        runner.background("diff", () -> SessionMapper.diff(before, after))
            .whenComplete((regions, e) -> runner.onFx(() -> {
                if (gen != generation || state.get() == State.CLOSED) return;
                if (e != null) {
                    notices.accept(Notice.error("Cannot compare the scans of " + title.get(), e));
                    return;
                }
                changes.set(regions, text);
                showChanges();
            }));
    }

    private static List<DetailRow> rows(SourceDetails d) {
        List<DetailRow> out = new ArrayList<>();
        for (SourceDetails.Row r : d.rows()) out.add(new DetailRow(r.group(), r.name(), readable(r.name(), r.value())));
        return out;
    }

    private static final Pattern BYTES = Pattern.compile("(\\d{4,})( bytes)?");

    /** A byte count as an engineer reads it: "1 TiB (1,099,511,627,776 bytes)"; anything else unchanged. */
    static String readable(String name, String value) {
        Matcher m = BYTES.matcher(value);
        if (!m.matches() || (m.group(2) == null && !name.toLowerCase(Locale.ROOT).contains("size"))) return value;
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return value;
        }
        return Units.bytes(n) + " (" + Units.grouped(n) + " bytes)";
    }

    /** The details rows of what was negotiated or parsed. */
    private static List<DetailRow> detailRows(TargetInfo f) {
        List<DetailRow> out = new ArrayList<>();
        for (org.nbdscope.engine.session.DetailRow r : f.details()) out.add(new DetailRow(r.group(), r.name(), readable(r.name(), r.value())));
        return out;
    }

    /** The "Last scan" rows of a saved scan. */
    private static List<DetailRow> scanRows(SavedScan s) {
        Cost c = s.cost();
        return scanRows(s.at(), s.outcome().name(), s.error(), s.map().count(), c.requestsByCommand(), c.roundTrips(),
            c.bytesSent(), c.bytesReceived(), c.serverErrors(), c.wallNanos());
    }

    /** The "Last scan" rows of a scan of this run ({@code at} null when it was not stamped). */
    private static List<DetailRow> scanRows(ScanResult r, Instant at) {
        WireStats c = r.cost();
        return scanRows(at, r.outcome().name(), r.error(), r.map().count(), c.requestsByCommand(), c.roundTrips(),
            c.bytesSent(), c.bytesReceived(), c.serverErrors(), r.elapsedNanos());
    }

    private static List<DetailRow> scanRows(Instant at, String outcome, String error, int extents, Map<String, Long> requests,
                                            long roundTrips, long sent, long received, long serverErrors, long elapsedNanos) {
        String g = "Last scan";
        List<DetailRow> out = new ArrayList<>();
        if (at != null) out.add(new DetailRow(g, "Taken", Units.timestamp(at)));
        out.add(new DetailRow(g, "Outcome", outcome.toLowerCase(Locale.ROOT) + (error == null ? "" : ": " + error)));
        out.add(new DetailRow(g, "Extents", Units.grouped(extents)));
        for (Map.Entry<String, Long> e : requests.entrySet()) {
            out.add(new DetailRow(g, "Requests " + e.getKey(), Units.grouped(e.getValue())));
        }
        out.add(new DetailRow(g, "Round trips", Units.grouped(roundTrips)));
        out.add(new DetailRow(g, "Bytes sent", Units.grouped(sent)));
        out.add(new DetailRow(g, "Bytes received", Units.grouped(received)));
        out.add(new DetailRow(g, "Server errors", Units.grouped(serverErrors)));
        out.add(new DetailRow(g, "Elapsed", Units.elapsed(elapsedNanos)));
        return out;
    }
}
