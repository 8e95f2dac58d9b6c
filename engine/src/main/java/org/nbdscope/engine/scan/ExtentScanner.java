package org.nbdscope.engine.scan;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.source.WireStats;

/**
 * Walks the block status of a whole source and streams extents into an {@link ExtentMap}.
 *
 * <p>The range is cut into segments of {@link BlockSource#maxStatusLength()}, generated lazily by a cursor
 * (an 8 EiB export over 32-bit requests has 2^31 segments: none is queued up front); up to
 * {@link ScanOptions#inFlight()} requests run at once over disjoint segments. A reply may cover only a
 * prefix of its request: the rest of that segment is asked for next, and when the cursor has reached the
 * end the remainder is split among idle request slots, so a 64-bit server that caps its descriptors still
 * gets parallel requests after its first answer. Answers arrive in any order and are merged into the map
 * in offset order.
 *
 * <p>Memory is bounded by a window: the cursor hands out a new segment only while fewer than
 * {@value #WINDOW_FACTOR} × in-flight segments are open (requested, or answered but waiting for an
 * earlier answer), so a slow first request holds back at most that many answers. Remainders of open
 * segments are always asked for, since the merge may be waiting on them.
 */
public final class ExtentScanner implements ScanHandle {
    /** Split points are aligned to this, so splits fall on block boundaries of any sane server. */
    private static final long SPLIT_ALIGN = 1 << 20;
    /** Open segments (in flight, queued remainders, answers waiting to merge) per in-flight slot. */
    static final int WINDOW_FACTOR = 4;

    private final BlockSource source;
    private final ScanOptions options;
    private final ScanListener listener;
    private final ExtentMap map;
    private final long end;
    private final CompletableFuture<ScanResult> result = new CompletableFuture<>();
    /** Unanswered remainders of open segments, all before {@link #cursor}; asked for before new segments. */
    private final ArrayDeque<long[]> queue = new ArrayDeque<>();
    private final TreeMap<Long, ExtentBatch> pending = new TreeMap<>();
    private final WireStats before;
    private final long started = System.nanoTime();
    private final int window;
    private long segment;
    /** Start of the first segment not yet handed out. */
    private long cursor;
    private int active;
    /** True while one thread runs {@link #pump()}. */
    private boolean pumping;
    private long requests;
    private boolean stopped;

    private ExtentScanner(BlockSource source, ScanOptions options, ScanListener listener) {
        this.source = source;
        this.options = options;
        this.listener = listener;
        this.map = new ExtentMap(source.size());
        this.end = options.to() < 0 ? source.size() : Math.min(options.to(), source.size());
        this.before = source.stats();
        this.window = WINDOW_FACTOR * options.inFlight();
    }

    /** Starts scanning {@code source}; the map fills from {@code options.from()} (earlier bytes are unknown). */
    public static ScanHandle start(BlockSource source, ScanOptions options, ScanListener listener) {
        ExtentScanner s = new ExtentScanner(source, options, listener == null ? ScanListener.NONE : listener);
        s.begin();
        return s;
    }

    /** Scans and waits: for the command line. */
    public static ScanResult scan(BlockSource source, ScanOptions options) {
        return start(source, options, ScanListener.NONE).result().join();
    }

    @Override
    public ExtentMap map() { return map; }

    @Override
    public CompletableFuture<ScanResult> result() { return result; }

    @Override
    public void cancel() {
        synchronized (this) {
            if (stopped) return;
            stopped = true;
        }
        finish(ScanResult.Outcome.CANCELLED, null);
    }

    private void begin() {
        long from = options.from();
        if (from > 0) map.append(0, Math.min(from, map.size()), ExtentMap.UNKNOWN);
        if (from >= end) {
            finish(ScanResult.Outcome.COMPLETE, null);
            return;
        }
        synchronized (this) {
            segment = Math.max(1, source.maxStatusLength());
            cursor = from;
        }
        pump();
    }

    /**
     * Issues requests while there is work and a free slot. One pump runs at a time: an answer that
     * completes inline (inside {@code request}) or on another thread while a pump runs leaves the issuing
     * to that pump, which decides again under the lock before it stops, so nothing is missed and the
     * stack never grows with the number of segments.
     */
    private void pump() {
        synchronized (this) {
            if (pumping) return;
            pumping = true;
        }
        boolean done = false;
        boolean released = false;
        try {
            while (true) {
                long[] range;
                synchronized (this) {
                    if (!stopped && active == 0 && queue.isEmpty() && cursor >= end) {
                        stopped = true;
                        done = true;
                    }
                    range = stopped || active >= options.inFlight() ? null : next();
                    if (range == null) {
                        pumping = false;
                        released = true;
                        break;
                    }
                    active++;
                    requests++;
                }
                request(range[0], range[1]);
            }
        } finally {
            // a listener or source that throws must not leave the scan without a pump
            if (!released) {
                synchronized (this) {
                    pumping = false;
                }
            }
        }
        if (done) finish(ScanResult.Outcome.COMPLETE, null);
    }

    /** The next range to ask for: a remainder first, else a new segment if the window allows; null if neither. */
    private long[] next() {
        if (!queue.isEmpty()) return queue.poll();
        if (cursor >= end || active + pending.size() >= window) return null;
        long start = cursor;
        cursor = start + Math.min(segment, end - start);
        return new long[] {start, cursor};
    }

    /** Segments handed out by the cursor so far, and ranges now open: for tests of the window. */
    synchronized long cursor() { return cursor; }

    synchronized int open() { return active + pending.size() + queue.size(); }

    private void request(long pos, long segEnd) {
        CompletableFuture<ExtentBatch> f;
        try {
            f = source.blockStatus(options.context(), pos, segEnd - pos, false);
        } catch (RuntimeException e) {
            fail(e);
            return;
        }
        f.whenComplete((batch, err) -> {
            if (err != null) {
                fail(err);
                return;
            }
            if (batch.offset() != pos || batch.end() > segEnd) {
                fail(new IllegalStateException("block status for " + pos + ".." + segEnd + " answered "
                    + batch.offset() + ".." + batch.end()));
                return;
            }
            synchronized (this) {
                active--;
                if (stopped) return;
                pending.put(pos, batch);
                long next = batch.end();
                if (next < segEnd) requeue(next, segEnd);
            }
            flush();
            pump();
        });
    }

    /** Puts the unanswered rest of a segment back, split among idle slots when nothing else waits. */
    private void requeue(long from, long to) {
        int idle = options.inFlight() - active - queue.size();
        int parts = queue.isEmpty() && cursor >= end ? Math.max(1, Math.min(idle, (int) Math.min(64, (to - from) / SPLIT_ALIGN))) : 1;
        long step = ((to - from) / parts) & ~(SPLIT_ALIGN - 1);
        if (parts == 1 || step == 0) {
            queue.addFirst(new long[] {from, to});
            return;
        }
        long p = from;
        for (int i = 0; i < parts; i++) {
            long e = i == parts - 1 ? to : p + step;
            queue.add(new long[] {p, e});
            p = e;
        }
    }

    /** Moves answers that continue the map into it, in order. */
    private void flush() {
        boolean moved = false;
        synchronized (this) {
            while (!pending.isEmpty() && pending.firstKey() == map.covered()) {
                append(pending.pollFirstEntry().getValue());
                moved = true;
            }
        }
        if (moved) listener.progress(map.covered(), map.count(), requestsSoFar());
    }

    private synchronized long requestsSoFar() { return requests; }

    private void append(ExtentBatch b) {
        long off = b.offset();
        for (int i = 0; i < b.count(); i++) {
            map.append(off, b.lengths()[i], (int) b.status()[i]);
            off += b.lengths()[i];
        }
    }

    private void fail(Throwable err) {
        synchronized (this) {
            if (stopped) return;
            stopped = true;
        }
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        String msg = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        finish(ScanResult.Outcome.FAILED, msg);
    }

    private void finish(ScanResult.Outcome outcome, String error) {
        synchronized (this) {
            // keep every answer that arrived, with unknown gaps between them
            for (Map.Entry<Long, ExtentBatch> e : pending.entrySet()) {
                if (e.getKey() > map.covered()) map.append(map.covered(), e.getKey() - map.covered(), ExtentMap.UNKNOWN);
                if (e.getKey() == map.covered()) append(e.getValue());
            }
            pending.clear();
            if (outcome != ScanResult.Outcome.COMPLETE || end < map.size()) map.fillUnknown();
        }
        listener.progress(map.covered(), map.count(), requestsSoFar());
        result.complete(new ScanResult(outcome, map, source.stats().minus(before), System.nanoTime() - started, error));
    }
}
