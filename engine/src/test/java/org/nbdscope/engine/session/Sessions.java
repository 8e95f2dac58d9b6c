package org.nbdscope.engine.session;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.source.SourceDetails;
import org.nbdscope.engine.source.WireStats;
import org.nbdscope.engine.zero.Answer;
import org.nbdscope.engine.zero.Attempt;
import org.nbdscope.engine.zero.Comparison;
import org.nbdscope.engine.zero.Cost;
import org.nbdscope.engine.zero.MakeZeroResult;
import org.nbdscope.engine.zero.Plan;
import org.nbdscope.engine.zero.Prediction;
import org.nbdscope.engine.zero.ProbeResult;
import org.nbdscope.engine.zero.ProbeSource;
import org.nbdscope.engine.zero.ProbeStep;
import org.nbdscope.engine.zero.Side;
import org.nbdscope.engine.zero.Strategy;
import org.nbdscope.engine.zero.TargetFacts;
import org.nbdscope.engine.zero.TargetKind;
import tools.jackson.databind.node.JsonNodeFactory;

/** A session with every field set, for round trips. */
final class Sessions {
    private Sessions() {}

    static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
    static final long SIZE = 1L << 30;

    static ExtentMap map(long size, int seed) {
        ExtentMap m = new ExtentMap(size);
        java.util.Random r = new java.util.Random(seed);
        long p = 0;
        int st = 0;
        while (p < size) {
            long len = Math.min(size - p, (1 + r.nextInt(64)) * 4096L);
            st = (st + 1 + r.nextInt(3)) % 4;
            m.append(p, len, st);
            p += len;
        }
        return m;
    }

    static Cost cost(int n) {
        return new Cost(Map.of("BLOCK_STATUS", (long) n), n, n, 28L * n, 40L * n, 0, 1_000_000L * n);
    }

    static ProbeResult probe() {
        return new ProbeResult(Answer.NO, ProbeSource.BLOCK_STATUS_64, "data at 4096", 4096, 4096,
            List.of(new ProbeStep(ProbeSource.ZERO_FLAG, Answer.UNKNOWN, "not sent", Cost.NONE),
                new ProbeStep(ProbeSource.BLOCK_STATUS_64, Answer.NO, "data at 4096", cost(1))), cost(1));
    }

    static TargetFacts facts() {
        return new TargetFacts("nbd://localhost/disk", TargetKind.NBD, SIZE, false, "extended", "not sent", true, true, true, Long.MAX_VALUE);
    }

    static Session full() {
        SourceDetails d = new SourceDetails().add("Export", "URI", "nbd://localhost/disk").add("Negotiated", "TLS", "no")
            .add("Negotiated", "Header mode", "extended").add("Negotiated", "Zero flag (NBD_INFO_INIT_STATE)", "not sent");
        TargetInfo info = TargetInfo.of("nbd://localhost/disk", SIZE, false, d);
        ScanResult r1 = new ScanResult(ScanResult.Outcome.COMPLETE, map(SIZE, 1), new WireStats(new long[16], 3, 84, 900, 0), 5_000_000, null);
        ExtentMap partial = map(SIZE, 2);
        ExtentMap cut = new ExtentMap(SIZE);
        for (int i = 0; i < 10; i++) cut.append(partial.start(i), partial.length(i), partial.status(i));
        ScanResult r2 = new ScanResult(ScanResult.Outcome.CANCELLED, cut, WireStats.ZERO, 1_000, null);
        ProbeResult p = probe();
        MakeZeroResult mz = new MakeZeroResult(MakeZeroResult.Outcome.ZEROED, Strategy.FAST_ZERO, "zeroed", p,
            List.of(new Attempt(Strategy.FAST_ZERO, true, SIZE, "1 request covered 1 GiB", cost(1))),
            new ProbeResult(Answer.YES, ProbeSource.BLOCK_STATUS_64, "all zero", -1, SIZE, List.of(), cost(1)), cost(1), cost(3));
        Plan plan = new Plan(Strategy.FAST_ZERO, "fast zero advertised", null, p,
            new Prediction(Map.of("WRITE_ZEROES", 1L), 1, 32, 32, false, "one request"), Strategy.ZERO_EXTENTS,
            new Prediction(Map.of("WRITE_ZEROES", 7L), 7, 224, 224, true, "every range"),
            new Prediction(Map.of("BLOCK_STATUS", 1L), 1, 32, 56, false, "verify"), cost(1));
        Side ps = new Side("zero probe", "BLOCK_STATUS_64", true, Map.of("BLOCK_STATUS", 1L), 1, 1, 32, 56, 0.5, 0, Answer.NO, "data");
        Side ms = new Side("make-zero", "FAST_ZERO", true, Map.of("WRITE_ZEROES", 1L), 2, 2, 64, 88, 1.5, 0, Answer.YES, "zeroed");
        Comparison c = new Comparison("nbd://localhost/disk", TargetKind.NBD, SIZE, "extended", "not sent", true, ps, ms,
            "make-zero", "the probe could only answer no", p, mz, null, "2026-11-23T10:05:00Z");
        SessionTarget t = SessionTarget.of("t1", TargetRef.of("nbd://localhost/disk", null), info)
            .withScan(SavedScan.of(r1, BlockStatusFlags.BASE_ALLOCATION, T0))
            .withScan(SavedScan.of(r2, BlockStatusFlags.BASE_ALLOCATION, T0.plusSeconds(60)))
            .withProbe(new SavedProbe(T0.plusSeconds(61), facts(), p))
            .withMakeZero(new SavedMakeZero(T0.plusSeconds(62), facts(), mz, null))
            .withMakeZero(new SavedMakeZero(T0.plusSeconds(63), facts(), null, plan))
            .withComparison(new SavedComparison(T0.plusSeconds(64), c))
            .withNotes("looks sparse\nsecond line: ünïcödé")
            .withView(new TargetViewState(4.0, 1 << 20, 1 << 28, "DATA"));
        SessionTarget demo = SessionTarget.of("t2", TargetRef.of("demo", null), null);
        return new Session(Session.FORMAT, Session.SCHEMA, "0.1.0", T0, T0.plusSeconds(100), new SessionView("dark", "t1"),
            List.of(t, demo), Map.of("futureField", JsonNodeFactory.instance.stringNode("kept")));
    }
}
