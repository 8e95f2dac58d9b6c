package org.nbdscope.app.gui.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

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
import org.nbdscope.engine.source.SourceDetails;
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

    TargetModel(String target, TargetOpener opener, TaskRunner runner, Consumer<Notice> notices, ObservableValue<Theme> theme) {
        this.target = target;
        this.opener = opener;
        this.runner = runner;
        this.notices = notices;
        this.theme = theme;
        this.publisher = runner.coalescer(this::publish);
        this.compare = new CompareModel(runner, notices, scanning.getReadOnlyProperty(), this::rescan);
        title.set(target);
        notes.addListener((o, a, b) -> changed.run());
        changes.shownProperty().addListener((o, a, b) -> showChanges());
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
        sourceRows = rows(src.details());
        details.setAll(sourceRows);
        HeatMapModel h = new HeatMapModel(src.size());
        h.paletteProperty().bind(theme.map(Theme::palette));
        heatMap.set(h);
        totals.set(KindTotals.empty(src.size()));
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
        List<DetailRow> all = new ArrayList<>(sourceRows);
        all.addAll(scanRows(r));
        details.setAll(all);
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

    private static List<DetailRow> rows(SourceDetails d) {
        List<DetailRow> out = new ArrayList<>();
        for (SourceDetails.Row r : d.rows()) out.add(new DetailRow(r.group(), r.name(), r.value()));
        return out;
    }

    private static List<DetailRow> scanRows(ScanResult r) {
        String g = "Last scan";
        List<DetailRow> out = new ArrayList<>();
        out.add(new DetailRow(g, "Outcome", r.outcome().name().toLowerCase() + (r.error() == null ? "" : ": " + r.error())));
        out.add(new DetailRow(g, "Extents", Units.grouped(r.map().count())));
        WireStats c = r.cost();
        for (Map.Entry<String, Long> e : c.requestsByCommand().entrySet()) {
            out.add(new DetailRow(g, "Requests " + e.getKey(), Units.grouped(e.getValue())));
        }
        out.add(new DetailRow(g, "Round trips", Units.grouped(c.roundTrips())));
        out.add(new DetailRow(g, "Bytes sent", Units.grouped(c.bytesSent())));
        out.add(new DetailRow(g, "Bytes received", Units.grouped(c.bytesReceived())));
        out.add(new DetailRow(g, "Server errors", Units.grouped(c.serverErrors())));
        out.add(new DetailRow(g, "Elapsed", Units.elapsed(r.elapsedNanos())));
        return out;
    }
}
