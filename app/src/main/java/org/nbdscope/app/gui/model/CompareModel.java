package org.nbdscope.app.gui.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ObservableBooleanValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.nbdscope.app.gui.task.Coalescer;
import org.nbdscope.app.gui.task.TaskRunner;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.zero.Answer;
import org.nbdscope.engine.zero.CancelToken;
import org.nbdscope.engine.zero.Compare;
import org.nbdscope.engine.zero.Comparison;
import org.nbdscope.engine.zero.Confirmation;
import org.nbdscope.engine.zero.Cost;
import org.nbdscope.engine.zero.MakeZero;
import org.nbdscope.engine.zero.MakeZeroResult;
import org.nbdscope.engine.zero.Plan;
import org.nbdscope.engine.zero.Prediction;
import org.nbdscope.engine.zero.ProbeOptions;
import org.nbdscope.engine.zero.ProbeResult;
import org.nbdscope.engine.zero.ZeroOptions;
import org.nbdscope.engine.zero.ZeroProbe;
import org.nbdscope.engine.zero.ZeroTarget;
import org.nbdscope.engine.zero.ZeroTargets;

/**
 * A tab's compare panel: the zero-flag probe against make-zero (issue 5's engine) on the tab's open source.
 * Owns everything the panel shows: which actions are possible and why not, the running job's progress, the
 * two result columns as table rows and chart bars, and which path won and why.
 *
 * <p>Every engine call runs through the {@link TaskRunner} on a background thread, one job at a time, and
 * never while the tab scans: both share one connection, and the scan's requests would be counted in the
 * costs. Make-zero writes only after {@link #makeZero(String)} or {@link #compareBoth(String)} got the export
 * name typed exactly ({@link Confirmation#typed}); "plan only" never writes. After anything was written, the
 * tab rescans.
 */
public final class CompareModel {
    /** What the panel runs. */
    public enum Job {
        PROBE("Zero-flag probe"),
        MAKE_ZERO("Make zero"),
        PLAN("Make-zero plan"),
        COMPARE("Compare both");

        private final String label;

        Job(String label) { this.label = label; }

        public String label() { return label; }
    }

    /** Table and chart title of the probe side. */
    public static final String PROBE_TITLE = "Zero-flag probe";
    static final String NOT_RUN = "—";

    private final TaskRunner runner;
    private final Consumer<Notice> notices;
    private final Runnable rescan;
    private final Coalescer publisher;

    private final ReadOnlyBooleanWrapper attached = new ReadOnlyBooleanWrapper(this, "attached");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyObjectWrapper<Job> running = new ReadOnlyObjectWrapper<>(this, "running");
    private final ReadOnlyStringWrapper makeZeroRefusal = new ReadOnlyStringWrapper(this, "makeZeroRefusal", "");
    private final ReadOnlyStringWrapper confirmationName = new ReadOnlyStringWrapper(this, "confirmationName", "");
    private final BooleanProperty planOnly = new SimpleBooleanProperty(this, "planOnly");
    private final ReadOnlyStringWrapper statusText = new ReadOnlyStringWrapper(this, "statusText", "");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress", -1);
    private final ReadOnlyStringWrapper makeZeroTitle = new ReadOnlyStringWrapper(this, "makeZeroTitle", "Make zero");
    private final ReadOnlyStringWrapper winner = new ReadOnlyStringWrapper(this, "winner", "");
    private final ReadOnlyStringWrapper verdict = new ReadOnlyStringWrapper(this, "verdict", "");
    private final ReadOnlyStringWrapper probeSummary = new ReadOnlyStringWrapper(this, "probeSummary", "");
    private final ReadOnlyStringWrapper makeZeroSummary = new ReadOnlyStringWrapper(this, "makeZeroSummary", "");
    private final ReadOnlyObjectWrapper<Comparison> comparison = new ReadOnlyObjectWrapper<>(this, "comparison");
    private final ObservableList<CompareRow> rows = FXCollections.observableArrayList();
    private final ObservableList<CompareBar> bars = FXCollections.observableArrayList();
    private final BooleanBinding ready;
    private final BooleanBinding canMakeZero;
    private final StringBinding makeZeroHint;
    private final StringBinding probeHint;

    // FX-thread state
    private ZeroTarget target;
    private ProbeResult lastProbe;
    private MakeZeroResult lastRun;
    private Plan lastPlan;
    private CancelToken token;
    private long jobStarted;

    // noted by the engine's thread, published once per frame
    private volatile String phase = "";
    private volatile long done;
    private volatile long total;
    private volatile String lastNotice;

    /**
     * @param scanning true while the tab scans (the panel waits for it)
     * @param rescan   the tab's rescan, run after make-zero wrote anything
     */
    CompareModel(TaskRunner runner, Consumer<Notice> notices, ObservableBooleanValue scanning, Runnable rescan) {
        this.runner = runner;
        this.notices = notices;
        this.rescan = rescan;
        this.publisher = runner.coalescer(this::publishProgress);
        ready = attached.and(busy.not()).and(Bindings.createBooleanBinding(() -> !scanning.get(), scanning));
        canMakeZero = ready.and(makeZeroRefusal.isEmpty());
        probeHint = Bindings.createStringBinding(() -> !attached.get() ? "Open the target first"
            : scanning.get() ? "Waits for the scan to finish: it shares the connection, and its requests would count in the costs"
            : busy.get() && running.get() != null ? running.get().label() + " is running"
            : "Does it read as all zero? Asks the cheapest source first: the zero flag, then block status (Ctrl+Shift+P)",
            attached, scanning, busy, running);
        makeZeroHint = Bindings.createStringBinding(() -> !makeZeroRefusal.get().isEmpty() ? "Make zero is not available: " + makeZeroRefusal.get()
            : !ready.get() ? probeHint.get()
            : planOnly.get() ? "Shows the make-zero plan and its predicted cost; writes nothing (Ctrl+Shift+Z)"
            : "Zeroes the whole target; asks you to type the export name '" + confirmationName.get() + "' first (Ctrl+Shift+Z)",
            makeZeroRefusal, ready, probeHint, planOnly, confirmationName);
        planOnly.addListener((o, a, b) -> { if (lastRun == null && lastPlan == null) makeZeroTitle.set(b ? "Make zero (plan)" : "Make zero"); });
        show(null);
    }

    // ---- what the view binds ----

    /** True when the tab's source is open. */
    public ReadOnlyBooleanProperty attachedProperty() { return attached.getReadOnlyProperty(); }

    /** True while a probe, make-zero, plan or comparison runs. */
    public ReadOnlyBooleanProperty busyProperty() { return busy.getReadOnlyProperty(); }

    public boolean busy() { return busy.get(); }

    /** The job running, or null. */
    public ReadOnlyObjectProperty<Job> runningProperty() { return running.getReadOnlyProperty(); }

    /** The probe and compare actions can start: the source is open, no scan and no other job runs. */
    public BooleanBinding readyProperty() { return ready; }

    /** Make zero can start: ready, and the target can be made zero at all. */
    public BooleanBinding canMakeZeroProperty() { return canMakeZero; }

    /** Why make-zero can never run on this target (read-only, a qcow2 image, …), or empty. */
    public ReadOnlyStringProperty makeZeroRefusalProperty() { return makeZeroRefusal.getReadOnlyProperty(); }

    /** What the Probe button does, or why it waits. */
    public StringBinding probeHintProperty() { return probeHint; }

    /** What the Make zero button does, or why it is disabled. */
    public StringBinding makeZeroHintProperty() { return makeZeroHint; }

    /** The name the user must type to confirm make-zero (the export name). */
    public ReadOnlyStringProperty confirmationNameProperty() { return confirmationName.getReadOnlyProperty(); }

    /** Make zero and Compare both only plan: they show what make-zero would do and cost, and write nothing. */
    public BooleanProperty planOnlyProperty() { return planOnly; }

    /** The running job's progress line (phase, bytes, elapsed), and its outcome after it ends. */
    public ReadOnlyStringProperty statusTextProperty() { return statusText.getReadOnlyProperty(); }

    /** Share done of the running job's phase, or -1 when unknown. */
    public ReadOnlyDoubleProperty progressProperty() { return progress.getReadOnlyProperty(); }

    /** Title of the make-zero column: "Make zero" or "Make zero (plan)". */
    public ReadOnlyStringProperty makeZeroTitleProperty() { return makeZeroTitle.getReadOnlyProperty(); }

    /** "zero probe", "make-zero", "tie", "neither", or empty until both sides ran. */
    public ReadOnlyStringProperty winnerProperty() { return winner.getReadOnlyProperty(); }

    /** Which path won and why, or what to run to find out. */
    public ReadOnlyStringProperty verdictProperty() { return verdict.getReadOnlyProperty(); }

    /** The probe's one-sentence answer, or empty. */
    public ReadOnlyStringProperty probeSummaryProperty() { return probeSummary.getReadOnlyProperty(); }

    /** Make-zero's (or the plan's) one sentence, or empty. */
    public ReadOnlyStringProperty makeZeroSummaryProperty() { return makeZeroSummary.getReadOnlyProperty(); }

    /** The last comparison of both sides (the record the command line and session files use), or null. */
    public ReadOnlyObjectProperty<Comparison> comparisonProperty() { return comparison.getReadOnlyProperty(); }

    /** The table: a row per measure, a column per side. */
    public ObservableList<CompareRow> rows() { return rows; }

    /** The chart: requests, round trips, bytes on the wire and wall time, a bar per side. */
    public ObservableList<CompareBar> bars() { return bars; }

    /** True when the view must ask for the export name before {@link #makeZero} or {@link #compareBoth}. */
    public boolean needsConfirmation() {
        return !planOnly.get() && makeZeroRefusal.get().isEmpty();
    }

    /** True when {@code typed} is exactly the name make-zero asks for. */
    public boolean confirms(String typed) {
        return attached.get() && typed != null && typed.equals(confirmationName.get());
    }

    // ---- saved results ----

    /** The last probe result, or null (saved in the session). */
    public ProbeResult lastProbe() { return lastProbe; }

    /** The last make-zero run, or null. */
    public MakeZeroResult lastRun() { return lastRun; }

    /** The last make-zero plan, or null. */
    public Plan lastPlan() { return lastPlan; }

    /**
     * Shows results saved in a session (FX thread), as they were when saved; the panel stays detached until
     * the target is opened again. Any part may be null.
     */
    void restore(ProbeResult probe, MakeZeroResult run, Plan plan, Comparison c, String when) {
        lastProbe = probe;
        lastRun = run;
        lastPlan = run != null ? null : plan;
        show(c != null ? c : null);
        if (probe != null || run != null || plan != null) statusText.set("Saved results · " + when);
    }

    /** Told every result a job produced (the tab records it in its session history). */
    @FunctionalInterface
    interface ResultsListener {
        /** Any of the parts may be null; {@code job} says which job produced them. */
        void results(Job job, ZeroTarget target, ProbeResult probe, MakeZeroResult run, Plan plan, Comparison comparison);
    }

    private ResultsListener resultsListener = (j, t, p, r, pl, c) -> { };

    void onResults(ResultsListener l) { resultsListener = l; }

    /** Keeps the results a reattach would clear (a saved target connecting again keeps its saved results). */
    private boolean keepResults;

    // ---- attach to the tab's source ----

    /** The tab's source is open (FX thread): the panel works on it, through {@link ZeroTargets#of}. */
    void attach(BlockSource source) {
        detach();
        ZeroTarget t;
        try {
            t = ZeroTargets.of(source);
        } catch (RuntimeException e) {
            notices.accept(Notice.error("The zero probe cannot use " + source.name(), e));
            return;
        }
        target = t;
        boolean keep = keepResults;
        if (!keep) {
            lastProbe = null;
            lastRun = null;
            lastPlan = null;
        }
        keepResults = false;
        confirmationName.set(t.confirmationName());
        String refusal = MakeZero.refusal(t, ZeroOptions.defaults());
        makeZeroRefusal.set(refusal == null ? "" : refusal);
        attached.set(true);
        show(keep ? comparison.get() : null);
    }

    /** The next {@link #attach} keeps the results shown (restored from a session) instead of clearing them. */
    void keepResultsOnAttach() { keepResults = true; }

    /** The source closes: a running job is cancelled, and nothing more starts. */
    void detach() {
        cancel();
        target = null;
        attached.set(false);
    }

    // ---- actions (FX thread) ----

    /** Runs the zero probe: the zero flag first, then block status; never writes. */
    public void probe() {
        if (!ready.get()) return;
        MakeZeroResult run = lastRun;
        Plan plan = lastPlan;
        start(Job.PROBE, (t, m) -> {
            ProbeResult p = ZeroProbe.run(t, ProbeOptions.defaults(), m);
            return new Results(p, null, null, combine(t, p, run, plan));
        });
    }

    /** Shows what make-zero would do and cost, without writing. */
    public void plan() {
        if (!ready.get()) return;
        ProbeResult probe = lastProbe;
        start(Job.PLAN, (t, m) -> {
            Plan p = MakeZero.plan(t, ZeroOptions.defaults(), m);
            return new Results(null, null, p, combine(t, probe, null, p));
        });
    }

    /**
     * Make zero: with "plan only" the plan; else the real make-zero, only when {@code typedName} is exactly the
     * export name. Returns false, with a notice and nothing sent, when it cannot start for that reason.
     */
    public boolean makeZero(String typedName) {
        if (!ready.get()) return false;
        if (planOnly.get()) {
            plan();
            return true;
        }
        if (!makeZeroRefusal.get().isEmpty()) {
            notices.accept(new Notice(Notice.Severity.ERROR, "Make zero is not available", makeZeroRefusal.get()));
            return false;
        }
        if (!confirms(typedName)) {
            notices.accept(notConfirmed(typedName));
            return false;
        }
        ProbeResult probe = lastProbe;
        Confirmation c = Confirmation.typed(typedName);
        start(Job.MAKE_ZERO, (t, m) -> {
            MakeZeroResult r = MakeZero.run(t, ZeroOptions.defaults(), c, m);
            return new Results(null, r, null, combine(t, probe, r, null));
        });
        return true;
    }

    /**
     * Runs both sides one after the other (the engine's {@link Compare#run}): the probe, then the full make-zero
     * when it may write (not "plan only", a writable target, {@code typedName} exactly the export name), else its
     * plan. On a target make-zero can write, a name that does not match refuses with a notice and sends nothing.
     */
    public boolean compareBoth(String typedName) {
        if (!ready.get()) return false;
        boolean write = needsConfirmation();
        if (write && !confirms(typedName)) {
            notices.accept(notConfirmed(typedName));
            return false;
        }
        Confirmation c = write ? Confirmation.typed(typedName) : Confirmation.none();
        start(Job.COMPARE, (t, m) -> {
            Comparison cmp = Compare.run(t, c, ProbeOptions.defaults(), ZeroOptions.defaults(), m);
            return new Results(cmp.probeResult(), cmp.makeZeroResult(), cmp.plan(), cmp);
        });
        return true;
    }

    /** Stops the running job between requests; it reports what it did so far. */
    public void cancel() {
        CancelToken t = token;
        if (t != null) t.cancel();
    }

    private Notice notConfirmed(String typed) {
        String why = typed == null || typed.isEmpty() ? "no export name was typed"
            : "the typed name '" + typed + "' is not '" + confirmationName.get() + "'";
        return new Notice(Notice.Severity.INFO, "Make zero not confirmed", why + "; nothing was written");
    }

    // ---- running a job ----

    /** What a job produced; null parts are left as they were, except that make-zero and its plan replace each other. */
    private record Results(ProbeResult probe, MakeZeroResult run, Plan plan, Comparison comparison) {}

    @FunctionalInterface
    private interface Work {
        Results run(ZeroTarget t, CancelToken m) throws Exception;
    }

    private void start(Job job, Work work) {
        ZeroTarget t = target;
        CancelToken tok = new CancelToken(this::noted, this::progressed);
        token = tok;
        phase = "";
        done = 0;
        total = 0;
        lastNotice = null;
        jobStarted = System.nanoTime();
        running.set(job);
        statusText.set(job.label() + " · starting");
        progress.set(-1);
        busy.set(true);
        runner.background("zero-" + job.name().toLowerCase(Locale.ROOT), () -> work.run(t, tok))
            .whenComplete((r, e) -> runner.onFx(() -> finished(job, t, tok, r, e)));
    }

    private void noted(String message) {
        lastNotice = message;
        publisher.request();
    }

    private void progressed(String ph, long d, long tot) {
        phase = ph;
        done = d;
        total = tot;
        publisher.request();
    }

    /** At most once per frame while a job runs. */
    private void publishProgress() {
        Job job = running.get();
        if (job == null) return;
        StringBuilder sb = new StringBuilder(job.label());
        String n = lastNotice;
        if (n != null) sb.append(" · ").append(n);
        long d = done, tot = total;
        if (tot > 0) sb.append(" · ").append(phase).append(' ').append(Units.bytes(d)).append(" of ").append(Units.bytes(tot));
        sb.append(" · ").append(Units.elapsed(System.nanoTime() - jobStarted));
        statusText.set(sb.toString());
        progress.set(tot > 0 ? Math.min(1, (double) d / tot) : -1);
    }

    private void finished(Job job, ZeroTarget t, CancelToken tok, Results r, Throwable e) {
        if (token == tok) token = null;
        running.set(null);
        progress.set(0);
        boolean current = t == target;
        if (e != null) {
            statusText.set(job.label() + " failed: " + Notice.messageOf(e));
            busy.set(false);
            if (current) notices.accept(Notice.error(job.label() + " of " + t.name() + " failed", e));
            return;
        }
        if (!current) {
            busy.set(false);
            return;
        }
        if (r.probe() != null) lastProbe = r.probe();
        if (r.run() != null || r.plan() != null) {
            lastRun = r.run();
            lastPlan = r.plan();
        }
        show(r.comparison());
        resultsListener.results(job, t, r.probe(), r.run(), r.plan(), r.comparison());
        statusText.set(job.label() + " · " + outcome(job, r) + " · " + Units.elapsed(System.nanoTime() - jobStarted));
        busy.set(false);
        MakeZeroResult run = r.run();
        if (run != null) {
            switch (run.outcome()) {
                case ZEROED, ALREADY_ZERO -> { }
                case CANCELLED -> notices.accept(new Notice(Notice.Severity.INFO, "Make zero cancelled", run.message()));
                case REFUSED -> notices.accept(new Notice(Notice.Severity.ERROR, "Make zero refused", run.message()));
                case UNVERIFIED, STILL_NOT_ZERO, FAILED ->
                    notices.accept(new Notice(Notice.Severity.ERROR, "Make zero " + describe(run.outcome()), run.message()));
            }
            if (!run.attempts().isEmpty()) rescan.run();
        }
    }

    private static String outcome(Job job, Results r) {
        return switch (job) {
            case PROBE -> "answer: " + answer(r.probe().answer());
            case MAKE_ZERO -> describe(r.run().outcome());
            case PLAN -> r.plan().refusal() != null ? "would be refused" : "planned, nothing written";
            case COMPARE -> "winner: " + r.comparison().winner();
        };
    }

    private static String describe(MakeZeroResult.Outcome o) {
        return switch (o) {
            case ALREADY_ZERO -> "already zero, nothing written";
            case ZEROED -> "zeroed and verified";
            case UNVERIFIED -> "not verified";
            case STILL_NOT_ZERO -> "still not zero";
            case REFUSED -> "refused, nothing written";
            case FAILED -> "failed";
            case CANCELLED -> "cancelled";
        };
    }

    private static Comparison combine(ZeroTarget t, ProbeResult probe, MakeZeroResult run, Plan plan) {
        if (probe == null || (run == null && plan == null)) return null;
        return Compare.of(t, probe, run, plan);
    }

    // ---- what the panel shows ----

    /** One side's figures, measured or predicted. */
    private record Column(String method, boolean executed, Map<String, Long> byCommand, long requests, boolean upperBound,
                          long roundTrips, long sent, long received, double wallMillis, long serverErrors, String state) {

        static Column of(ProbeResult p) {
            Cost c = p.cost();
            return new Column(p.source().name(), true, c.requestsByCommand(), c.requests(), false, c.roundTrips(),
                c.bytesSent(), c.bytesReceived(), c.wallMillis(), c.serverErrors(), answer(p.answer()));
        }

        static Column of(MakeZeroResult r) {
            Cost c = r.cost();
            String method = r.strategy() != null ? r.strategy().name() : r.outcome().name();
            String state = switch (r.outcome()) {
                case ZEROED -> "zero (verified)";
                case ALREADY_ZERO -> "zero (already)";
                case REFUSED -> "refused: " + answer(r.finalState());
                default -> answer(r.finalState());
            };
            return new Column(method, true, c.requestsByCommand(), c.requests(), false, c.roundTrips(), c.bytesSent(),
                c.bytesReceived(), c.wallMillis(), c.serverErrors(), state);
        }

        /** A plan's prediction: each request one round trip, nothing timed (as the engine's comparison counts it). */
        static Column of(Plan p) {
            Prediction t = p.total();
            String method = p.strategy() == null ? "refused" : "plan: " + p.strategy().name();
            return new Column(method, false, t.requestsByCommand(), t.requests(), t.upperBound(), t.requests(),
                t.bytesSent(), t.bytesReceived(), -1, 0, p.refusal() != null ? "would be refused" : "not run (plan)");
        }
    }

    private void show(Comparison c) {
        comparison.set(c);
        Column p = lastProbe == null ? null : Column.of(lastProbe);
        Column z = lastRun != null ? Column.of(lastRun) : lastPlan != null ? Column.of(lastPlan) : null;
        makeZeroTitle.set(lastPlan != null || (lastRun == null && planOnly.get()) ? "Make zero (plan)" : "Make zero");
        probeSummary.set(lastProbe == null ? "" : PROBE_TITLE + ": " + lastProbe.detail());
        makeZeroSummary.set(lastRun != null ? "Make zero: " + lastRun.message()
            : lastPlan != null ? "Make-zero plan: " + planSentence(lastPlan) : "");
        rows.setAll(rows(p, z));
        bars.setAll(bars(p, z));
        if (c != null) {
            winner.set(c.winner());
            verdict.set("Winner: " + c.winner() + ". " + capitalize(c.why()) + ".");
        } else {
            winner.set("");
            verdict.set(p == null && z == null ? "Run the probe and make zero (or its plan), or Compare both, to see which path wins."
                : p == null ? "Now run the probe to compare." : "Now run make zero (or its plan) to compare.");
        }
    }

    private static String planSentence(Plan p) {
        if (p.refusal() != null) return "would be refused: " + p.refusal();
        String s = p.reason();
        String note = p.total().note();
        return note == null || note.isEmpty() ? s : s + "; " + note;
    }

    private static List<CompareRow> rows(Column p, Column z) {
        List<CompareRow> out = new ArrayList<>();
        out.add(row("Method", p, z, c -> c.method()));
        out.add(row("Requests", p, z, c -> (c.upperBound() ? "≤ " : "") + Units.grouped(c.requests())));
        Set<String> commands = new LinkedHashSet<>();
        if (p != null) commands.addAll(p.byCommand().keySet());
        if (z != null) commands.addAll(z.byCommand().keySet());
        for (String cmd : commands) {
            out.add(row("  " + cmd, p, z, c -> Units.grouped(c.byCommand().getOrDefault(cmd, 0L))));
        }
        out.add(row("Round trips", p, z, c -> Units.grouped(c.roundTrips())));
        out.add(row("Bytes sent", p, z, c -> bytes(c.sent())));
        out.add(row("Bytes received", p, z, c -> bytes(c.received())));
        out.add(row("Wall time", p, z, c -> c.executed() ? millis(c.wallMillis()) : "not timed (plan)"));
        out.add(row("Server errors", p, z, c -> Units.grouped(c.serverErrors())));
        out.add(row("Verified final state", p, z, Column::state));
        return out;
    }

    private static CompareRow row(String measure, Column p, Column z, java.util.function.Function<Column, String> f) {
        return new CompareRow(measure, p == null ? NOT_RUN : f.apply(p), z == null ? NOT_RUN : f.apply(z));
    }

    private static List<CompareBar> bars(Column p, Column z) {
        List<CompareBar> out = new ArrayList<>();
        out.add(bar("Requests", p, z, Column::requests, n -> count(n, "request")));
        out.add(bar("Round trips", p, z, Column::roundTrips, n -> count(n, "round trip")));
        out.add(bar("Bytes on the wire", p, z, c -> c.sent() + c.received(), Units::bytes));
        // a plan is not timed: then there is no time to weigh, and neither side gets a bar
        boolean comparable = (p == null || p.executed()) && (z == null || z.executed());
        double pt = p != null && comparable ? p.wallMillis() : 0, zt = z != null && comparable ? z.wallMillis() : 0;
        double max = Math.max(pt, zt) * 1000;
        out.add(new CompareBar("Wall time",
            CompareBar.height(pt * 1000, max), p == null ? "not run" : p.executed() ? millis(p.wallMillis()) : "not timed (plan)",
            CompareBar.height(zt * 1000, max), z == null ? "not run" : z.executed() ? millis(z.wallMillis()) : "not timed (plan)"));
        return out;
    }

    private static CompareBar bar(String measure, Column p, Column z, java.util.function.ToLongFunction<Column> f,
                                  java.util.function.LongFunction<String> text) {
        long pv = p == null ? 0 : f.applyAsLong(p), zv = z == null ? 0 : f.applyAsLong(z);
        double max = Math.max(pv, zv);
        return new CompareBar(measure,
            CompareBar.height(pv, max), p == null ? "not run" : text.apply(pv),
            CompareBar.height(zv, max), z == null ? "not run" : (z.upperBound() ? "≤ " : "") + (z.executed() ? "" : "predicted ") + text.apply(zv));
    }

    static String answer(Answer a) {
        if (a == null) return "unknown";
        return switch (a) {
            case YES -> "zero";
            case NO -> "not zero";
            case UNKNOWN -> "unknown";
        };
    }

    /** {@code 96 B}, {@code 1,048,672 B (1 MiB)}. */
    static String bytes(long n) {
        return n < 1024 ? n + " B" : Units.grouped(n) + " B (" + Units.bytes(n) + ")";
    }

    /** {@code 0.042 ms}, {@code 12.3 ms}, {@code 4.56 s}. */
    static String millis(double ms) {
        if (ms < 1) return String.format(Locale.ROOT, "%.3f ms", ms);
        if (ms < 1000) return String.format(Locale.ROOT, "%.1f ms", ms);
        return String.format(Locale.ROOT, "%.2f s", ms / 1000);
    }

    private static String count(long n, String what) {
        return Units.grouped(n) + " " + what + (n == 1 ? "" : "s");
    }

    private static String capitalize(String s) {
        return s == null || s.isEmpty() ? "" : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
