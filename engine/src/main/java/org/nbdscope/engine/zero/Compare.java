package org.nbdscope.engine.zero;

import java.time.Instant;
import java.util.Locale;

/**
 * Runs both sides of the 2020 debate on one target: the zero probe (zero flag first), and full make-zero, which
 * makes the target zero without asking first (its verification included). Make-zero really runs only with
 * confirmation on a writable target; otherwise its plan stands in, with predicted figures.
 */
public final class Compare {
    private Compare() {}

    public static Comparison run(ZeroTarget t, Confirmation confirmation, ProbeOptions probeOptions, ZeroOptions zeroOptions,
                                 ZeroMonitor monitor) {
        ZeroMonitor m = monitor == null ? ZeroMonitor.NONE : monitor;
        ProbeOptions po = probeOptions == null ? ProbeOptions.defaults() : probeOptions;
        ZeroOptions zo = (zeroOptions == null ? ZeroOptions.defaults() : zeroOptions).withSkipProbe(true);
        Confirmation c = confirmation == null ? Confirmation.none() : confirmation;

        ProbeResult probe = ZeroProbe.run(t, po, m);
        if (MakeZero.refusal(t, zo) == null && c.confirms(t)) return of(t, probe, MakeZero.run(t, zo, c, m), null);
        return of(t, probe, null, MakeZero.plan(t, zo, m));
    }

    /**
     * The comparison of a probe and a make-zero run (or its plan) measured one after the other, as the app's
     * separate Probe and Make zero buttons do: the same record and verdict as {@link #run}. Give exactly one of
     * {@code run} and {@code plan}.
     */
    public static Comparison of(ZeroTarget t, ProbeResult probe, MakeZeroResult run, Plan plan) {
        if ((run == null) == (plan == null)) {
            throw new IllegalArgumentException("a comparison needs the make-zero run or its plan, not " + (run == null ? "neither" : "both"));
        }
        Side probeSide = Side.measured("zero probe", probe.source().name(), probe.cost(), probe.answer(), probe.detail());
        Side mzSide;
        if (run != null) {
            String method = run.strategy() == null ? "none" : run.strategy().name();
            mzSide = Side.measured("make-zero", method, run.cost(), run.finalState(), run.message());
        } else {
            String detail = plan.refusal() != null ? "would be refused: " + plan.refusal()
                : "plan only (confirm to run it): " + plan.reason() + "; " + plan.total().note();
            mzSide = Side.predicted("make-zero", plan.strategy() == null ? "refused" : "plan: " + plan.strategy().name(),
                plan.total(), detail);
        }
        String[] verdict = verdict(probe, probeSide, mzSide, plan, t.kind() != TargetKind.NBD);
        return new Comparison(t.name(), t.kind(), t.size(), t.headerMode(), t.initState().describe(), t.canFastZero(),
            probeSide, mzSide, verdict[0], verdict[1], probe, run, plan, Instant.now().toString());
    }

    /** {winner, one sentence why}. */
    static String[] verdict(ProbeResult probe, Side p, Side mz, Plan plan, boolean file) {
        String ans = probe.answer().name().toLowerCase(Locale.ROOT);
        String probeCost = file ? calls(p.requests())
            : rt(p.roundTrips()) + " and " + Units.bytes(p.bytesSent() + p.bytesReceived()) + " on the wire";
        String mzCost = (mz.executed() ? "" : "a predicted ") + (file ? calls(mz.requests())
            : req(mz.requests()) + " and " + Units.bytes(mz.bytesSent() + mz.bytesReceived()) + " on the wire");
        boolean refused = plan != null && plan.refusal() != null;
        if (refused) {
            return probe.answer() == Answer.YES
                ? new String[] {"zero probe", "the probe answered yes with " + probeCost + ", and make-zero would be refused here"}
                : new String[] {"neither", "the probe answered " + ans + " and make-zero would be refused (" + plan.refusal() + ")"};
        }
        boolean mzZero = mz.executed() ? mz.finalState() == Answer.YES : plan != null && plan.strategy() != null;
        if (probe.answer() != Answer.YES) {
            if (!mzZero) return new String[] {"neither", "the probe answered " + ans + " and make-zero did not reach a verified zero state"};
            return new String[] {"make-zero", "the probe could only answer " + ans + " (" + probe.source().name()
                + "), while make-zero " + (mz.executed() ? "made it zero and verified it with " : "would make it zero with ") + mzCost};
        }
        if (!mzZero) return new String[] {"zero probe", "the probe answered yes with " + probeCost + ", and make-zero did not reach a verified zero state"};
        int byTrips = Long.compare(p.roundTrips(), mz.roundTrips());
        int byBytes = Long.compare(p.bytesSent() + p.bytesReceived(), mz.bytesSent() + mz.bytesReceived());
        int cmp = byTrips != 0 ? byTrips : byBytes;
        if (cmp == 0) return new String[] {"tie", "both reach a known zero state with " + probeCost};
        String flag = probe.source() == ProbeSource.ZERO_FLAG ? " (the zero flag rode on the handshake)" : "";
        return cmp < 0
            ? new String[] {"zero probe", "both end at zero, and the probe" + flag + " needed " + probeCost + " against " + (mz.executed() ? "make-zero's " : "make-zero's predicted ") + mzCost.replaceFirst("^a predicted ", "")}
            : new String[] {"make-zero", "both end at zero, and make-zero needed " + mzCost + " against the probe's " + probeCost};
    }

    private static String rt(long n) { return n + (n == 1 ? " round trip" : " round trips"); }

    private static String calls(long n) { return n + (n == 1 ? " system call" : " system calls"); }

    private static String req(long n) { return n + (n == 1 ? " request" : " requests"); }
}
