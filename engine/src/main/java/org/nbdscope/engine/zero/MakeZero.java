package org.nbdscope.engine.zero;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdError;
import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanHandle;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.source.WireStats;

/**
 * Makes a target read as all zero, cheapest rung first, in the spirit of qemu's {@code bdrv_make_zero}:
 * <ol>
 *   <li>skip when the probe says it already reads as zero;</li>
 *   <li>{@code WRITE_ZEROES} with {@code FAST_ZERO}: one request over the whole export with 64-bit lengths,
 *       one per chunk with 32-bit lengths;</li>
 *   <li>after {@code NBD_ENOTSUP} (or without fast zero), {@code WRITE_ZEROES} without it, only over the
 *       extents the map shows are not already zero, in chunks that respect the 32-bit limit (and, should the
 *       server refuse an oversize request, the maximum payload);</li>
 *   <li>literal zero writes, only when the user allows them;</li>
 *   <li>raw files: {@code fallocate} punch-hole, else zero-range.</li>
 * </ol>
 * Then a probe verifies the result (never trusting the zero flag, which describes connection time only).
 *
 * <p>Safety: nothing is written to a read-only target, without {@link Confirmation}, to a qcow2 image, or when
 * the only rung left is one the user did not allow. These refusals are decided before the first request.
 * {@link #plan} sends only block status: it never writes.
 */
public final class MakeZero {
    private MakeZero() {}

    /** Runs the ladder (or the forced rung) and verifies. Never throws for command failures: see the outcome. */
    public static MakeZeroResult run(ZeroTarget target, ZeroOptions options, Confirmation confirmation, ZeroMonitor monitor) {
        return new Job(target, options == null ? ZeroOptions.defaults() : options,
            monitor == null ? ZeroMonitor.NONE : monitor).run(confirmation == null ? Confirmation.none() : confirmation);
    }

    /** What {@link #run} would do and cost, found without writing anything. */
    public static Plan plan(ZeroTarget target, ZeroOptions options, ZeroMonitor monitor) {
        return new Job(NoWrites.of(target), options == null ? ZeroOptions.defaults() : options,
            monitor == null ? ZeroMonitor.NONE : monitor).plan();
    }

    /** Why make-zero would refuse {@code target} with {@code options} before sending anything, or null. */
    public static String refusal(ZeroTarget t, ZeroOptions o) {
        if (t.zeroRefusal() != null) return t.zeroRefusal();
        if (t.readOnly()) {
            return t.kind() == TargetKind.NBD
                ? "the export is read-only (NBD_FLAG_READ_ONLY): make-zero never writes to it"
                : "the file is read-only: make-zero never writes to it";
        }
        Strategy forced = o.strategy();
        if (forced == Strategy.ALREADY_ZERO) return "already-zero is a probe answer, not a strategy to force: run probe instead";
        if (forced != null) return unavailable(forced, t, o);
        if (t.kind() == TargetKind.NBD && !t.canWriteZeroes() && !o.allowLiteralWrites()) {
            return "the server does not offer WRITE_ZEROES, so only literal zero writes remain, which send every zeroed byte"
                + " over the wire: allow them with --allow-literal-writes";
        }
        return null;
    }

    /** Why rung {@code s} cannot run on {@code t}, or null. */
    static String unavailable(Strategy s, ZeroTarget t, ZeroOptions o) {
        return switch (s) {
            case ALREADY_ZERO -> "already-zero is a probe answer, not a strategy";
            case FAST_ZERO -> t.kind() != TargetKind.NBD ? "fast-zero needs an NBD export (raw files use fallocate)"
                : !t.canWriteZeroes() ? "fast-zero needs WRITE_ZEROES, which the server does not offer"
                : !t.canFastZero() ? "the server does not advertise NBD_FLAG_SEND_FAST_ZERO" : null;
            case ZERO_EXTENTS -> t.kind() != TargetKind.NBD ? "zero-extents needs an NBD export (raw files use fallocate)"
                : !t.canWriteZeroes() ? "the server does not offer WRITE_ZEROES" : null;
            case LITERAL -> o.allowLiteralWrites() ? null : "literal zero writes need --allow-literal-writes";
            case FALLOCATE -> t.kind() != TargetKind.RAW_FILE ? "fallocate works on raw files only" : null;
        };
    }

    /** The rungs to try, in order. */
    static List<Strategy> ladder(ZeroTarget t, ZeroOptions o) {
        if (o.strategy() != null) return List.of(o.strategy());
        List<Strategy> l = new ArrayList<>();
        if (t.kind() == TargetKind.RAW_FILE) {
            l.add(Strategy.FALLOCATE);
            l.add(Strategy.LITERAL);
            return l;
        }
        if (t.canWriteZeroes() && t.canFastZero()) l.add(Strategy.FAST_ZERO);
        if (t.canWriteZeroes()) l.add(Strategy.ZERO_EXTENTS);
        else l.add(Strategy.LITERAL);
        return l;
    }

    /** One run against one target. */
    private static final class Job {
        final ZeroTarget t;
        final ZeroOptions o;
        final ZeroMonitor m;
        final long size;
        final long startNanos = System.nanoTime();
        final WireStats start;
        final List<Attempt> attempts = new ArrayList<>();
        Cost zeroCost = Cost.NONE;

        Job(ZeroTarget t, ZeroOptions o, ZeroMonitor m) {
            this.t = t;
            this.o = o;
            this.m = m;
            this.size = t.size();
            this.start = t.stats();
        }

        private Cost total() { return Cost.since(start, t.stats(), startNanos); }

        private MakeZeroResult result(MakeZeroResult.Outcome out, Strategy s, String msg, ProbeResult before, ProbeResult verify) {
            return new MakeZeroResult(out, s, msg, before, attempts, verify, zeroCost, total());
        }

        private ProbeOptions probeOptions(boolean zeroFlag, boolean read) {
            return new ProbeOptions(zeroFlag, read, Math.min(o.inFlight(), 256));
        }

        MakeZeroResult run(Confirmation c) {
            String refused = refusal(t, o);
            if (refused != null) return result(MakeZeroResult.Outcome.REFUSED, null, "refused: " + refused + "; nothing was written", null, null);
            if (!c.confirms(t)) {
                String why = c.given() && c.typedName() != null
                    ? "the typed name '" + c.typedName() + "' is not '" + t.confirmationName() + "'"
                    : "make-zero destroys every byte of '" + t.confirmationName() + "' and needs explicit confirmation (--yes)";
                return result(MakeZeroResult.Outcome.REFUSED, null, "refused: " + why + "; nothing was written", null, null);
            }
            try {
                return climb();
            } catch (RuntimeException e) {
                String msg = e.getMessage() == null ? e.toString() : e.getMessage();
                String written = attempts.isEmpty() ? "nothing was written" : "the target may be partly zeroed";
                return result(MakeZeroResult.Outcome.FAILED, null, msg + "; " + written, null, null);
            }
        }

        /** Rung 1, the zeroing rungs and the verification (confirmation and refusals already checked). */
        private MakeZeroResult climb() {
            ProbeResult before = null;
            List<Range> todo = size == 0 ? List.of() : List.of(new Range(0, size));
            if (o.strategy() == null && !o.skipProbe()) {
                m.notice("rung 1: probing whether " + t.name() + " already reads as zero");
                before = ZeroProbe.run(t, probeOptions(true, o.allowRead()), m);
                if (m.cancelled()) return result(MakeZeroResult.Outcome.CANCELLED, null, "cancelled while probing; nothing was written", before, null);
                if (before.answer() == Answer.YES) {
                    return result(MakeZeroResult.Outcome.ALREADY_ZERO, Strategy.ALREADY_ZERO,
                        "already reads as zero (" + before.detail() + "); nothing was written", before, null);
                }
                long from = alignDown(before.answer() == Answer.NO ? before.zeroPrefix() : 0);
                if (from > 0) todo = List.of(new Range(from, size));
            }
            Strategy done = null;
            List<Strategy> ladder = ladder(t, o);
            for (int i = 0; i < ladder.size() && !todo.isEmpty(); i++) {
                Strategy s = ladder.get(i);
                String no = unavailable(s, t, o);
                if (no != null) {
                    String after = attempts.isEmpty() ? "" : " after " + attempts.getLast().note();
                    return result(MakeZeroResult.Outcome.REFUSED, null, "refused: " + no + after + "; "
                        + (attempts.isEmpty() ? "nothing was written" : "nothing more was written"), before, null);
                }
                m.notice("rung " + rungNumber(s) + ": " + s.cliName() + " over " + Units.bytes(Range.total(todo)));
                long t0 = System.nanoTime();
                WireStats s0 = t.stats();
                Rung r = switch (s) {
                    case FAST_ZERO -> zeroChunks(s, todo, NbdCommand.FLAG_FAST_ZERO);
                    case ZERO_EXTENTS -> mapThen(s, todo);
                    case LITERAL -> mapThen(s, todo);
                    case FALLOCATE -> zeroChunks(s, todo, 0);
                    case ALREADY_ZERO -> throw new IllegalStateException("not a rung to run");
                };
                Cost c0 = Cost.since(s0, t.stats(), t0);
                zeroCost = zeroCost.plus(c0);
                attempts.add(new Attempt(s, r.remaining.isEmpty() && r.failure == null && !r.cancelled, r.bytes, r.note, c0));
                if (r.cancelled) {
                    return result(MakeZeroResult.Outcome.CANCELLED, null, "cancelled during " + s.cliName() + " after zeroing "
                        + Units.bytes(r.bytes) + "; the target is partly zeroed", before, null);
                }
                if (r.failure != null) return result(MakeZeroResult.Outcome.FAILED, null, r.failure, before, null);
                todo = r.remaining;
                if (todo.isEmpty()) done = s;
                else if (i == ladder.size() - 1) {
                    return result(MakeZeroResult.Outcome.FAILED, null, r.note + "; no rung left to try"
                        + (o.strategy() != null ? " (--strategy " + s.cliName() + " allows no fallback)" : ""), before, null);
                }
            }
            if (done == null && !attempts.isEmpty()) done = attempts.getLast().strategy();
            boolean literal = done == Strategy.LITERAL;
            if (literal) m.notice("verifying literal writes: ranges block status still reports as data are read back");
            ProbeResult verify = ZeroProbe.run(t, probeOptions(true, o.allowRead() || literal), m);
            if (m.cancelled()) return result(MakeZeroResult.Outcome.CANCELLED, done, "cancelled while verifying", before, verify);
            String how = done == null ? "nothing needed zeroing" : attempts.getLast().note();
            return switch (verify.answer()) {
                case YES -> result(MakeZeroResult.Outcome.ZEROED, done, "zeroed with " + (done == null ? "nothing" : done.cliName())
                    + " (" + how + "); verified: " + verify.detail(), before, verify);
                case NO -> result(MakeZeroResult.Outcome.STILL_NOT_ZERO, done, "the zeroing commands succeeded (" + how
                    + "), but verification says not zero: " + verify.detail(), before, verify);
                case UNKNOWN -> result(MakeZeroResult.Outcome.UNVERIFIED, done, "zeroed with " + (done == null ? "nothing" : done.cliName())
                    + " (" + how + "), but nothing can verify it: " + verify.detail(), before, verify);
            };
        }

        /**
         * Rounds a known-zero prefix down to a request boundary: a READ can find the first non-zero byte anywhere,
         * but zeroing starts on the minimum block size (and on 4 KiB where that is a multiple of it).
         */
        private long alignDown(long offset) {
            long min = Math.max(1, t.minimumBlockSize());
            long a = Math.max(min, 4096);
            if (a % min != 0) a = min;
            return offset / a * a;
        }

        /** The outcome of one rung: what is left to zero, or why it stopped. */
        record Rung(List<Range> remaining, long bytes, String note, String failure, boolean cancelled) {}

        /** Largest zeroing request: the target's limit, the user's cap, aligned to the minimum block size. */
        private long zeroLimit(Strategy s) {
            long limit = s == Strategy.LITERAL ? t.maxWriteLength() : t.maxZeroLength();
            if (o.maxRequest() > 0) limit = Math.min(limit, o.maxRequest());
            long align = Math.max(1, t.minimumBlockSize());
            return Math.max(align, limit / align * align);
        }

        /** Rungs 3 and 4: read the map of the ranges to do (unless there is none), then zero what is not zero. */
        private Rung mapThen(Strategy s, List<Range> todo) {
            List<Range> targets = todo;
            String mapped = "";
            if (t.canBlockStatus()) {
                Range span = new Range(todo.getFirst().offset(), todo.getLast().end());
                ScanHandle h = ExtentScanner.start(t, new ScanOptions(BlockStatusFlags.BASE_ALLOCATION, o.inFlight(), span.offset(), span.end()), null);
                ScanResult sr = await(h);
                if (sr == null) return new Rung(todo, 0, "cancelled while reading the map", null, true);
                if (!sr.complete()) return new Rung(todo, 0, "reading the map failed", "reading the map failed: " + sr.error(), false);
                targets = Range.notZero(sr.map(), todo);
                mapped = "the map shows " + Units.bytes(Range.total(targets)) + " in " + targets.size()
                    + (targets.size() == 1 ? " range" : " ranges") + " not zero; ";
            }
            if (targets.isEmpty()) return new Rung(List.of(), 0, mapped + "nothing left to zero", null, false);
            Rung r = s == Strategy.LITERAL ? writeLiteral(targets) : zeroChunks(s, targets, 0);
            return new Rung(r.remaining, r.bytes, mapped + r.note, r.failure, r.cancelled);
        }

        private ScanResult await(ScanHandle h) {
            while (true) {
                if (m.cancelled()) {
                    h.cancel();
                    h.result().join();
                    return null;
                }
                try {
                    return h.result().get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    m.progress("map", h.map().covered(), h.map().size());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    h.cancel();
                    return null;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("the scanner failed: " + e.getCause(), e.getCause());
                }
            }
        }

        /**
         * Rungs 2, 3 and 5: zeroing requests over {@code ranges}. {@code NBD_ENOTSUP} (to {@code FAST_ZERO}, or a
         * file system without fallocate support) stops issuing and hands the ranges not yet zeroed to the next
         * rung. An oversize request refused with {@code NBD_EOVERFLOW}/{@code NBD_EINVAL} is retried once within
         * the maximum payload.
         */
        private Rung zeroChunks(Strategy s, List<Range> ranges, int flags) {
            long limit = zeroLimit(s);
            long bytes = 0;
            long requests = 0;
            long total = Range.total(ranges);
            boolean retried = false;
            List<Range> pending = ranges;
            while (true) {
                List<Range> failedChunks = new ArrayList<>();
                TargetCommandException notSupported = null;
                RuntimeException failure = null;
                long retryFrom = -1;
                long limitNow = limit;
                long issued = 0;
                boolean cancelled = false;
                try (OrderedWindow<Void> w = new OrderedWindow<>(pending, limitNow, o.inFlight(),
                    (off, len) -> t.writeZeroes(off, len, flags))) {
                    OrderedWindow.Item<Void> it;
                    while ((it = w.next()) != null) {
                        requests++;
                        issued++;
                        try {
                            OrderedWindow.join(it.future());
                            bytes += it.length();
                            m.progress(s.cliName(), bytes, total);
                        } catch (TargetCommandException e) {
                            if (e.is(NbdError.ENOTSUP) && (s == Strategy.FAST_ZERO || s == Strategy.FALLOCATE)) {
                                if (notSupported == null) notSupported = e;
                                failedChunks.add(new Range(it.offset(), it.end()));
                                w.stopIssuing();
                                continue;
                            }
                            boolean oversize = (e.is(NbdError.EOVERFLOW) || e.is(NbdError.EINVAL)) && !retried
                                && it.length() > t.maxWriteLength() && s != Strategy.FALLOCATE;
                            if (oversize && retryFrom < 0 && failure == null) {
                                retryFrom = it.offset();
                                w.stopIssuing();
                                continue;
                            }
                            if (failure == null) failure = e;
                            w.stopIssuing();
                        } catch (RuntimeException e) {
                            if (failure == null) failure = e;
                            w.stopIssuing();
                        }
                        if (m.cancelled() && !cancelled) {
                            cancelled = true;
                            w.stopIssuing();
                        }
                    }
                    if (notSupported != null || failure != null || cancelled || retryFrom >= 0) {
                        // the chunks never issued are still to do
                        failedChunks.addAll(unissued(pending, limitNow, issued));
                    }
                }
                if (failure != null) {
                    return new Rung(List.of(), bytes, s.cliName() + " failed", message(failure) + "; "
                        + Units.bytes(bytes) + " had been zeroed before", false);
                }
                if (cancelled) return new Rung(Range.merge(failedChunks), bytes, "cancelled", null, true);
                if (retryFrom >= 0) {
                    retried = true;
                    long align = Math.max(1, t.minimumBlockSize());
                    limit = Math.max(align, t.maxWriteLength() / align * align);
                    m.notice("the server refused a " + Units.bytes(limitNow) + " zeroing request; retrying in requests of " + Units.bytes(limit));
                    pending = Range.from(pending, retryFrom);
                    continue;
                }
                if (notSupported != null) {
                    List<Range> left = Range.merge(failedChunks);
                    String what = s == Strategy.FALLOCATE ? "the file system supports neither punch-hole nor zero-range"
                        : "the server answered NBD_ENOTSUP to FAST_ZERO (zeroing would be no faster than writing)";
                    return new Rung(left, bytes, what + " after " + requests + (requests == 1 ? " request" : " requests")
                        + "; " + Units.bytes(Range.total(left)) + " left for the next rung", null, false);
                }
                return new Rung(List.of(), bytes, requests + (requests == 1 ? " request covered " : " requests covered ")
                    + Units.bytes(bytes), null, false);
            }
        }

        /** Rung 4: literal zero writes, windowed, within the maximum payload. */
        private Rung writeLiteral(List<Range> ranges) {
            long limit = zeroLimit(Strategy.LITERAL);
            long bytes = 0;
            long requests = 0;
            long total = Range.total(ranges);
            m.notice("literal zero writes: " + Units.bytes(total) + " of payload in about " + Range.chunks(ranges, limit) + " WRITE requests");
            boolean cancelled = false;
            long doneTo = ranges.getFirst().offset();
            try (OrderedWindow<Void> w = new OrderedWindow<>(ranges, limit, o.inFlight(),
                (off, len) -> t.writeZeroBytes(off, (int) len))) {
                OrderedWindow.Item<Void> it;
                while ((it = w.next()) != null) {
                    requests++;
                    try {
                        OrderedWindow.join(it.future());
                    } catch (RuntimeException e) {
                        w.stopIssuing();
                        return new Rung(List.of(), bytes, "literal writes failed", message(e) + "; "
                            + Units.bytes(bytes) + " had been zeroed before", false);
                    }
                    bytes += it.length();
                    doneTo = it.end();
                    m.progress(Strategy.LITERAL.cliName(), bytes, total);
                    if (!cancelled && m.cancelled()) {
                        cancelled = true;
                        w.stopIssuing(); // the writes already sent still land, and are counted
                    }
                }
            }
            if (cancelled) return new Rung(Range.from(ranges, doneTo), bytes, "cancelled", null, true);
            return new Rung(List.of(), bytes, requests + " WRITE requests carried " + Units.bytes(bytes) + " of zero bytes", null, false);
        }

        /** The parts of {@code ranges} beyond the chunks handed out so far (counted as {@code issued}). */
        private static List<Range> unissued(List<Range> ranges, long step, long issued) {
            List<Range> out = new ArrayList<>();
            long n = 0;
            for (Range r : ranges) {
                long chunks = Math.ceilDiv(r.length(), step);
                if (n + chunks <= issued) {
                    n += chunks;
                    continue;
                }
                long skip = Math.max(0, issued - n);
                long from = r.offset() + skip * step;
                if (from < r.end()) out.add(new Range(from, r.end()));
                n += chunks;
            }
            return out;
        }

        Plan plan() {
            String refused = refusal(t, o);
            ProbeResult before = null;
            if (o.strategy() == null && !o.skipProbe()) {
                before = ZeroProbe.run(t, probeOptions(true, o.allowRead()), m);
                if (before.answer() == Answer.YES) {
                    return new Plan(Strategy.ALREADY_ZERO, "the probe says it already reads as zero (" + before.detail()
                        + "): nothing would be written", refused, before, Prediction.NONE, null, null, Prediction.NONE, total());
                }
            }
            if (refused != null) return new Plan(null, "refused: " + refused, refused, before, Prediction.NONE, null, null, Prediction.NONE, total());
            List<Range> todo = size == 0 ? List.of() : List.of(new Range(alignDown(before != null && before.answer() == Answer.NO ? before.zeroPrefix() : 0), size));
            List<Strategy> ladder = ladder(t, o);
            Strategy first = ladder.getFirst();
            Prediction p = predict(first, todo, true);
            Strategy fb = ladder.size() > 1 ? ladder.get(1) : null;
            Prediction fp = null;
            if (fb != null) {
                String no = unavailable(fb, t, o);
                fp = no != null ? new Prediction(java.util.Map.of(), 0, 0, 0, false, "would be refused: " + no) : predict(fb, todo, false);
            }
            return new Plan(first, reason(first, before), null, before, p, fb, fp, predictVerify(), total());
        }

        private String reason(Strategy s, ProbeResult before) {
            String why = before == null ? (o.strategy() != null ? "forced with --strategy" : "the probe was skipped")
                : "the probe says " + before.answer().name().toLowerCase(java.util.Locale.ROOT) + " (" + before.detail() + ")";
            String what = switch (s) {
                case FAST_ZERO -> t.wideLengths() ? "one 64-bit WRITE_ZEROES with FAST_ZERO over the export"
                    : "WRITE_ZEROES with FAST_ZERO per 32-bit chunk";
                case ZERO_EXTENTS -> (t.canFastZero() ? "" : "no FAST_ZERO advertised: ") + "WRITE_ZEROES over the extents the map shows are not zero";
                case LITERAL -> "literal zero writes over the extents the map shows are not zero";
                case FALLOCATE -> "fallocate punch-hole (zero-range if the file system cannot punch)";
                case ALREADY_ZERO -> "nothing";
            };
            return why + "; " + what;
        }

        /** Predicted cost of rung {@code s} over {@code todo}; reads the map (read-only) when {@code readMap} and the rung needs it. */
        private Prediction predict(Strategy s, List<Range> todo, boolean readMap) {
            long req = WireSizes.request(t);
            long rep = WireSizes.commandReply(t);
            long limit = zeroLimit(s);
            switch (s) {
                case FAST_ZERO, FALLOCATE -> {
                    long n = Range.chunks(todo, limit);
                    NbdCommand c = NbdCommand.WRITE_ZEROES;
                    String note = s == Strategy.FALLOCATE ? n + " fallocate call" + (n == 1 ? "" : "s")
                        : n == 1 ? "one request covers " + Units.bytes(Range.total(todo))
                        : n + " requests of at most " + Units.bytes(limit);
                    return Prediction.of(c, n, n * req, n * rep, false, note);
                }
                default -> {
                    Prediction map = Prediction.NONE;
                    List<Range> targets = todo;
                    boolean bound = true;
                    if (t.canBlockStatus() && !todo.isEmpty()) {
                        long span = todo.getLast().end() - todo.getFirst().offset();
                        if (readMap) {
                            WireStats s0 = t.stats();
                            ScanHandle h = ExtentScanner.start(t, new ScanOptions(BlockStatusFlags.BASE_ALLOCATION, o.inFlight(),
                                todo.getFirst().offset(), todo.getLast().end()), null);
                            ScanResult sr = await(h);
                            if (sr != null && sr.complete()) {
                                targets = Range.notZero(sr.map(), todo);
                                bound = false;
                                WireStats d = t.stats().minus(s0);
                                long n = d.requests(NbdCommand.BLOCK_STATUS);
                                map = Prediction.of(NbdCommand.BLOCK_STATUS, n, d.bytesSent(), d.bytesReceived(), false,
                                    "the map: " + n + " BLOCK_STATUS");
                            }
                        }
                        if (bound) {
                            long n = Math.ceilDiv(span, Math.max(1, t.maxStatusLength()));
                            map = Prediction.of(NbdCommand.BLOCK_STATUS, n, n * req, n * WireSizes.statusReply(t, 1), true,
                                "the map: at least " + n + " BLOCK_STATUS");
                        }
                    }
                    long n = Range.chunks(targets, limit);
                    long payload = s == Strategy.LITERAL ? Range.total(targets) : 0;
                    NbdCommand c = s == Strategy.LITERAL ? NbdCommand.WRITE : NbdCommand.WRITE_ZEROES;
                    String note = (bound ? "at most " : "") + n + " " + c.name() + " over " + Units.bytes(Range.total(targets))
                        + (bound ? " (the map was not read: every byte counted)" : " the map shows not zero");
                    return map.plus(Prediction.of(c, n, n * req + payload, n * rep, bound, note));
                }
            }
        }

        /** The verifying probe after zeroing: one REQ_ONE answer with 64-bit lengths, one per chunk with 32-bit. */
        private Prediction predictVerify() {
            if (!t.canBlockStatus()) return new Prediction(java.util.Map.of(), 0, 0, 0, false, "nothing can verify without block status (use --read)");
            long n = size == 0 ? 0 : Math.ceilDiv(size, Math.max(1, t.maxStatusLength()));
            return Prediction.of(NbdCommand.BLOCK_STATUS, n, n * WireSizes.request(t), n * WireSizes.statusReply(t, 1), false,
                "verify: " + n + " BLOCK_STATUS" + (n == 1 ? " with REQ_ONE" : ""));
        }

        private static int rungNumber(Strategy s) {
            return switch (s) {
                case ALREADY_ZERO -> 1;
                case FAST_ZERO -> 2;
                case ZERO_EXTENTS -> 3;
                case LITERAL -> 4;
                case FALLOCATE -> 5;
            };
        }

        private static String message(Throwable e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }
}
