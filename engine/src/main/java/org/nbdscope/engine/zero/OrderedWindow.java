package org.nbdscope.engine.zero;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Issues requests over ranges cut into chunks of at most {@code step} bytes, with at most {@code window}
 * outstanding, and hands their answers back in offset order. The consumer may stop at any answer; {@link #close()} then waits for the requests
 * still on the wire, so their cost is counted and nothing of ours is in flight when the next phase starts.
 */
final class OrderedWindow<T> implements AutoCloseable {
    /** Issues one request for {@code [offset, offset + length)}. */
    @FunctionalInterface
    interface Issuer<T> {
        CompletableFuture<T> issue(long offset, long length);
    }

    /** One issued request. */
    record Item<T>(long offset, long length, CompletableFuture<T> future) {
        long end() { return offset + length; }
    }

    private final ArrayDeque<Item<T>> items = new ArrayDeque<>();
    private final Issuer<T> issuer;
    private final int window;
    private final List<Range> ranges;
    private final long step;
    private int range;
    private long next;

    /** Chunks of {@code step} bytes (the last one shorter) from {@code from} to {@code end}. */
    OrderedWindow(long from, long end, long step, int window, Issuer<T> issuer) {
        this(from < end ? List.of(new Range(from, end)) : List.of(), step, window, issuer);
    }

    /** Chunks of at most {@code step} bytes over each of {@code ranges}, in order; a chunk never spans two ranges. */
    OrderedWindow(List<Range> ranges, long step, int window, Issuer<T> issuer) {
        if (step <= 0) throw new IllegalArgumentException("request length must be positive, not " + step);
        this.ranges = List.copyOf(ranges);
        this.step = step;
        this.window = Math.max(1, window);
        this.issuer = issuer;
        this.next = this.ranges.isEmpty() ? 0 : this.ranges.getFirst().offset();
    }

    /** The next answer in order (issued earlier, so it may already be here), or null when all ranges are done. */
    Item<T> next() {
        refill(window);
        Item<T> i = items.poll();
        refill(window - 1);
        return i;
    }

    /** Issues nothing more; {@link #next()} returns only the requests already on the wire. */
    void stopIssuing() { range = ranges.size(); }

    private void refill(int upTo) {
        while (items.size() < upTo && range < ranges.size()) {
            Range r = ranges.get(range);
            if (next >= r.end()) {
                if (++range < ranges.size()) next = ranges.get(range).offset();
                continue;
            }
            long len = Math.min(step, r.end() - next);
            CompletableFuture<T> f;
            try {
                f = issuer.issue(next, len);
            } catch (RuntimeException e) {
                f = CompletableFuture.failedFuture(e);
            }
            items.add(new Item<>(next, len, f));
            next += len;
        }
    }

    /** Waits for the answer, unwrapping the completion wrapper so callers see the command's own exception. */
    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            if (c instanceof RuntimeException re) throw re;
            if (c instanceof Error er) throw er;
            throw e;
        }
    }

    @Override
    public void close() {
        for (Item<T> i : items) {
            try {
                i.future.handle((v, e) -> null).join();
            } catch (RuntimeException ignored) {
                // the answer is not wanted; only its completion is
            }
        }
        items.clear();
        stopIssuing();
    }
}
