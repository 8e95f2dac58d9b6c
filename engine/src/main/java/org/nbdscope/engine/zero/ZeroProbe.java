package org.nbdscope.engine.zero;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.source.SourceException;
import org.nbdscope.engine.source.WireStats;

/**
 * "Does this target read as all zero?" answered from the cheapest source first (issue 5):
 * <ol>
 *   <li>the zero flag ({@code NBD_INIT_ZERO}) from the handshake: 0 extra round trips; its absence is
 *       "unknown", never "not zero";</li>
 *   <li>with 64-bit lengths, one whole-export {@code BLOCK_STATUS} with {@code REQ_ONE};</li>
 *   <li>with 32-bit lengths, block status chunk by chunk, stopping at the first extent that is not zero
 *       (after the first, a few chunks are kept in flight);</li>
 *   <li>without block status the answer is unknown, unless reading was allowed: then the bytes are read and
 *       compared, after saying so. With block status, reading covers only the ranges reported as data;</li>
 *   <li>raw files answer from {@code SEEK_DATA}, qcow2 images from their L1/L2 tables, through the same walk.</li>
 * </ol>
 * A probe never writes: it only sends {@code BLOCK_STATUS} and, when allowed, {@code READ}. A failing command
 * fails the probe with a {@link SourceException}; "unknown" means that no source could answer.
 */
public final class ZeroProbe {
    private ZeroProbe() {}

    /** Block-status requests with REQ_ONE before the walk asks for many extents per answer. */
    static final int REQ_ONE_TRIES = 2;

    /** Largest single read while comparing content. */
    static final int READ_CHUNK = 4 << 20;

    /** Probes {@code target}; see the class comment for the order. */
    public static ProbeResult run(ZeroTarget target, ProbeOptions options, ZeroMonitor monitor) {
        ProbeOptions o = options == null ? ProbeOptions.defaults() : options;
        if (o.allowRead() && !target.canRead()) o = o.withRead(false);
        return new ZeroProbe.Run(NoWrites.of(target), o, monitor == null ? ZeroMonitor.NONE : monitor).run();
    }

    public static ProbeResult run(ZeroTarget target) { return run(target, ProbeOptions.defaults(), ZeroMonitor.NONE); }

    /** The block-status source for this target: 64-bit, 32-bit, file seek or qcow2 tables. */
    public static ProbeSource mapSource(ZeroTarget t) {
        return switch (t.kind()) {
            case NBD -> t.wideLengths() ? ProbeSource.BLOCK_STATUS_64 : ProbeSource.BLOCK_STATUS_32;
            case RAW_FILE -> ProbeSource.FILE_SEEK;
            case QCOW2 -> ProbeSource.QCOW2_TABLES;
        };
    }

    private static final class Run {
        final ZeroTarget t;
        final ProbeOptions o;
        final ZeroMonitor m;
        final long size;
        final List<ProbeStep> steps = new ArrayList<>();
        final WireStats start;
        final long startNanos = System.nanoTime();
        // walk state
        long zeroPrefix;
        long readBytes;
        long statusExtents;

        Run(ZeroTarget t, ProbeOptions o, ZeroMonitor m) {
            this.t = t;
            this.o = o;
            this.m = m;
            this.size = t.size();
            this.start = t.stats();
        }

        /** How the walk ended: an answer from a source, with the detail and the first offset not known zero. */
        record Verdict(Answer answer, ProbeSource source, String detail, long firstNonZero) {}

        ProbeResult run() {
            if (t.kind() == TargetKind.NBD) {
                ProbeResult flag = zeroFlag();
                if (flag != null) return flag;
            }
            long stepStart = System.nanoTime();
            WireStats before = t.stats();
            ProbeSource bs = mapSource(t);
            Verdict v;
            if (t.canBlockStatus()) {
                if (o.allowRead()) {
                    m.notice("--read: every range " + sourceName(bs) + " reports as data (up to " + Units.bytes(size)
                        + ") will be read and compared with zero; this can cost as much as reading the disk");
                }
                v = walk(bs);
            } else if (o.allowRead()) {
                long chunk = readChunk();
                m.notice("No block status: reading all " + Units.bytes(size) + " in about " + ceilDiv(size, chunk)
                    + " READ requests of " + Units.bytes(chunk) + " to compare with zero; this is costly");
                v = readRange(0, size, ProbeSource.READ);
                if (v == null) v = new Verdict(Answer.YES, ProbeSource.READ, "read all " + Units.bytes(size) + ": every byte is zero", -1);
            } else {
                v = new Verdict(Answer.UNKNOWN, ProbeSource.NONE, noSourceReason(), -1);
            }
            steps.add(new ProbeStep(v.source() == ProbeSource.NONE ? bs : v.source(), v.answer(), v.detail(),
                Cost.since(before, t.stats(), stepStart)));
            return finish(v);
        }

        private String noSourceReason() {
            String why = t.kind() == TargetKind.NBD
                ? "the server offers no base:allocation block status"
                : "this target offers no allocation map";
            String flag = t.kind() == TargetKind.NBD && !t.initState().zero() ? " and the zero flag does not say zero" : "";
            return why + flag + "; reading the whole target would tell (allow it with --read)";
        }

        private ProbeResult finish(Verdict v) {
            long prefix = v.answer() == Answer.YES ? size : (v.answer() == Answer.NO ? v.firstNonZero() : zeroPrefix);
            return new ProbeResult(v.answer(), v.source(), v.detail(), v.answer() == Answer.NO ? v.firstNonZero() : -1,
                prefix, steps, Cost.since(start, t.stats(), startNanos));
        }

        /** Step 1: the zero flag. Returns the result when it says zero, else records why it could not. */
        private ProbeResult zeroFlag() {
            InitState s = t.initState();
            String note;
            if (!o.useZeroFlag()) {
                note = "not consulted (disabled)";
            } else if (t.modifiedSinceOpen()) {
                note = "describes connection time only, and this connection has written since: not used";
            } else if (!s.sent()) {
                note = "NBD_INFO_INIT_STATE not sent: unknown (never taken as 'not zero')";
            } else if (!s.zero()) {
                note = "NBD_INFO_INIT_STATE " + s.describe() + " without NBD_INIT_ZERO: unknown"
                    + (s.sparse() ? " (sparse alone does not promise zeroes)" : "");
            } else {
                Cost cost = Cost.since(start, t.stats(), startNanos); // before any message is built
                String detail = "the server sent NBD_INIT_ZERO at connection time (" + s.describe() + "): 0 extra round trips";
                steps.add(new ProbeStep(ProbeSource.ZERO_FLAG, Answer.YES, detail, cost));
                return new ProbeResult(Answer.YES, ProbeSource.ZERO_FLAG, detail, -1, size, steps, cost);
            }
            steps.add(new ProbeStep(ProbeSource.ZERO_FLAG, Answer.UNKNOWN, note, Cost.NONE));
            return null;
        }

        /** Steps 2 and 3 (and 5 for files): block status from offset 0, stopping at the first extent not zero. */
        private Verdict walk(ProbeSource bs) {
            if (size == 0) return new Verdict(Answer.YES, bs, "the target is empty (size 0)", -1);
            long seg = statusStep();
            // the one-round-trip question: REQ_ONE over as much as one request may cover; one more REQ_ONE after
            // a zero prefix (hole, then data is the common case), then many extents per answer
            long pos = 0;
            for (int i = 0; i < REQ_ONE_TRIES && pos < size; i++) {
                if (i > 0 && m.cancelled()) return cancelled(bs);
                long len = Math.min(size - pos, seg);
                ExtentBatch b = OrderedWindow.join(t.allocation(pos, len, true));
                check(b, pos, len);
                Verdict v = consume(b, bs);
                if (v != null) return v;
                pos = b.end();
                if (pos >= size) return yes(bs, i + 1);
            }
            try (OrderedWindow<ExtentBatch> w = new OrderedWindow<>(pos, size, seg, o.inFlight(),
                (off, l) -> t.allocation(off, l, false))) {
                OrderedWindow.Item<ExtentBatch> it;
                while ((it = w.next()) != null) {
                    if (m.cancelled()) return cancelled(bs);
                    ExtentBatch b = OrderedWindow.join(it.future());
                    check(b, it.offset(), it.length());
                    Verdict v = consume(b, bs);
                    if (v != null) return v;
                    long p = b.end();
                    while (p < it.end()) {
                        if (m.cancelled()) return cancelled(bs);
                        ExtentBatch rest = OrderedWindow.join(t.allocation(p, it.end() - p, false));
                        check(rest, p, it.end() - p);
                        v = consume(rest, bs);
                        if (v != null) return v;
                        p = rest.end();
                    }
                    m.progress("probe", p, size);
                }
            }
            return yes(bs, -1);
        }

        private Verdict yes(ProbeSource bs, int requests) {
            if (readBytes > 0) {
                return new Verdict(Answer.YES, ProbeSource.READ, sourceName(bs) + " reports zero everywhere except "
                    + Units.bytes(readBytes) + " of data, and reading those found only zero bytes", -1);
            }
            String how = requests == 1
                ? "one " + (t.kind() == TargetKind.NBD ? "BLOCK_STATUS with REQ_ONE" : "query") + ": a single zero extent covers all " + Units.bytes(size)
                : sourceName(bs) + ": all " + statusExtents + " extents over " + Units.bytes(size) + " read as zero";
            return new Verdict(Answer.YES, bs, how, -1);
        }

        private Verdict cancelled(ProbeSource bs) {
            return new Verdict(Answer.UNKNOWN, bs, "cancelled after " + Units.bytes(zeroPrefix) + " known to read as zero", -1);
        }

        /** Checks each extent; returns a verdict at the first one not known zero (after reading it, if allowed). */
        private Verdict consume(ExtentBatch b, ProbeSource bs) {
            long off = b.offset();
            for (int i = 0; i < b.count(); i++) {
                long len = b.lengths()[i];
                long st = b.status()[i];
                statusExtents++;
                if ((st & BlockStatusFlags.STATE_ZERO) == 0) {
                    if (!o.allowRead()) {
                        return new Verdict(Answer.NO, bs, sourceName(bs) + " reports "
                            + BlockStatusFlags.describeBaseAllocation(st) + " (not zero) at offset " + off + " for " + Units.bytes(len), off);
                    }
                    Verdict r = readRange(off, len, ProbeSource.READ);
                    if (r != null) return r;
                }
                off += len;
                zeroPrefix = off;
            }
            return null;
        }

        /** Reads {@code [off, off + len)} and returns a NO verdict at the first non-zero byte, or null when all zero. */
        private Verdict readRange(long off, long len, ProbeSource src) {
            long chunk = readChunk();
            try (OrderedWindow<ByteBuffer> w = new OrderedWindow<>(off, off + len, chunk, o.inFlight(),
                (p, l) -> t.read(p, (int) l))) {
                OrderedWindow.Item<ByteBuffer> it;
                while ((it = w.next()) != null) {
                    if (m.cancelled()) return new Verdict(Answer.UNKNOWN, src, "cancelled while reading at offset " + it.offset(), -1);
                    ByteBuffer buf = OrderedWindow.join(it.future());
                    if (buf.remaining() != it.length()) {
                        throw new SourceException("READ at offset " + it.offset() + " returned " + buf.remaining()
                            + " bytes, expected " + it.length());
                    }
                    long nz = ZeroBytes.firstNonZero(buf);
                    readBytes += it.length();
                    if (nz >= 0) {
                        return new Verdict(Answer.NO, src, "READ found a non-zero byte at offset " + (it.offset() + nz), it.offset() + nz);
                    }
                    zeroPrefix = Math.max(zeroPrefix, it.end());
                    m.progress("read", it.end() - off, len);
                }
            }
            return null;
        }

        private long readChunk() {
            long align = Math.max(1, t.minimumBlockSize());
            long c = Math.min(t.maxWriteLength(), READ_CHUNK);
            return Math.max(align, c / align * align);
        }

        private long statusStep() {
            long align = Math.max(Math.max(1, t.minimumBlockSize()), t.preferredBlockSize());
            long s = t.maxStatusLength();
            if (s <= 0) throw new SourceException(t.name() + ": maximum block-status length " + s + " is not positive");
            return Math.max(align, s >= size ? s : s / align * align);
        }

        private static void check(ExtentBatch b, long offset, long length) {
            if (b.offset() != offset || b.end() <= offset || b.end() > offset + length) {
                throw new SourceException("block status for " + offset + ".." + (offset + length) + " answered "
                    + b.offset() + ".." + b.end());
            }
        }
    }

    static long ceilDiv(long a, long b) { return b <= 0 ? 0 : Math.ceilDiv(a, b); }

    /** "64-bit block status", "SEEK_DATA", ... for messages. */
    static String sourceName(ProbeSource s) {
        return switch (s) {
            case ZERO_FLAG -> "the zero flag";
            case BLOCK_STATUS_64 -> "64-bit block status";
            case BLOCK_STATUS_32 -> "32-bit block status";
            case READ -> "reading";
            case FILE_SEEK -> "SEEK_DATA/SEEK_HOLE";
            case QCOW2_TABLES -> "the qcow2 L1/L2 tables";
            case NONE -> "nothing";
        };
    }
}
