package org.nbdscope.app.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.nbdscope.engine.nbd.client.ClientOptions;
import org.nbdscope.engine.nbd.client.NbdClient;
import org.nbdscope.engine.nbd.client.NbdConnection;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.TransmissionFlags;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.source.SourceDetails;
import org.nbdscope.engine.source.WireStats;

/**
 * Several connections to one export that allows it ({@code NBD_FLAG_CAN_MULTI_CONN}) behind one
 * {@link BlockSource}: each block-status call goes to the connection with the fewest calls outstanding,
 * at most {@link #PER_CONNECTION} on each. Servers work on a bounded number of requests per connection
 * (nbdkit's default thread pool and qemu-nbd both take 16), so more connections multiply the requests
 * actually in progress when each one waits (a slow disk, a WAN link). The extra connections are opened in
 * the background and join as they come up; the scan starts on the first at once, and calls beyond what the
 * connections up so far may take wait here (not in a server's queue) for the next free slot.
 */
final class ConnectionPool implements BlockSource {
    /** Below this many block-status requests one connection's own parallelism is enough. */
    static final long MIN_REQUESTS = 16;
    /** Calls handed to one connection at a time: what servers work on in parallel per connection. */
    static final int PER_CONNECTION = 16;

    private static final class Member {
        final NbdConnection connection;
        final long joinedNanos = System.nanoTime();
        int outstanding;   // guarded by the pool

        Member(NbdConnection connection) { this.connection = connection; }
    }

    private record Waiting(String context, long offset, long length, boolean reqOne, CompletableFuture<ExtentBatch> result) {}

    private final NbdConnection first;
    private final List<Member> members = new ArrayList<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private boolean closed;

    private ConnectionPool(NbdConnection first) {
        this.first = first;
        members.add(new Member(first));
    }

    /** True when a pool of more connections would serve a scan of {@code source} (NBD, multi-conn, > {@link #MIN_REQUESTS} requests). */
    static boolean worthWidening(BlockSource source) {
        if (!(source instanceof NbdConnection c) || !c.negotiated().has(TransmissionFlags.CAN_MULTI_CONN)) return false;
        long requests = (c.size() + c.maxStatusLength() - 1) / Math.max(1, c.maxStatusLength());
        return requests > MIN_REQUESTS;
    }

    /**
     * {@code source} itself when more connections would not help (see {@link #worthWidening}), else a pool
     * that opens {@code extra} more connections with {@code options}.
     */
    static BlockSource widen(BlockSource source, int extra, ClientOptions options, String context) {
        return widen(source, extra, options, context, List.of());
    }

    /**
     * As {@link #widen(BlockSource, int, ClientOptions, String)}, taking connections to the same export
     * that were started earlier (with the same options) before opening new ones; started connections
     * beyond {@code extra}, or not needed at all, are closed.
     */
    static BlockSource widen(BlockSource source, int extra, ClientOptions options, String context,
                             List<CompletableFuture<NbdConnection>> started) {
        if (extra <= 0 || !worthWidening(source)) {
            closeWhenUp(started);
            return source;
        }
        NbdConnection c = (NbdConnection) source;
        ConnectionPool pool = new ConnectionPool(c);
        int taken = Math.min(extra, started.size());
        for (int i = 0; i < taken; i++) pool.join(started.get(i), context);
        closeWhenUp(started.subList(taken, started.size()));
        for (int i = started.size(); i < extra; i++) pool.join(NbdClient.connectAsync(c.uri(), options), context);
        return pool;
    }

    /**
     * Starts the {@code extra} connections a map of {@code context} on {@code source} will want, when the
     * server offers that context and it is worth widening (see {@link #worthWidening}); none otherwise.
     */
    static List<CompletableFuture<NbdConnection>> startExtra(BlockSource source, int extra, ClientOptions options, String context) {
        if (extra <= 0 || !source.contexts().contains(context) || !worthWidening(source)) return List.of();
        NbdConnection c = (NbdConnection) source;
        List<CompletableFuture<NbdConnection>> started = new ArrayList<>(extra);
        for (int i = 0; i < extra; i++) started.add(NbdClient.connectAsync(c.uri(), options));
        return started;
    }

    /** Closes connections started for a pool that will not use them, each as soon as it is up. */
    static void closeWhenUp(List<CompletableFuture<NbdConnection>> started) {
        for (CompletableFuture<NbdConnection> f : started) f.thenAccept(NbdConnection::close);
    }

    private void join(CompletableFuture<NbdConnection> f, String context) {
        // a connection that comes up after close() is closed at once
        f.whenComplete((c, err) -> {
            if (c == null) return;   // the others carry on without it
            boolean usable = c.size() == first.size() && c.contexts().contains(context);
            Member m = new Member(c);
            List<Waiting> take = new ArrayList<>();
            synchronized (this) {
                if (!closed && usable) {
                    members.add(m);
                    while (m.outstanding < PER_CONNECTION && !waiting.isEmpty()) {
                        take.add(waiting.poll());
                        m.outstanding++;
                    }
                } else {
                    m = null;
                }
            }
            if (m == null) {
                c.close();
                return;
            }
            for (Waiting w : take) dispatch(m, w);
        });
    }

    /**
     * For {@code map --stats}: the block-status requests each connection served and when the extra ones
     * joined, e.g. {@code "requests per connection 97, 61, 52, 47 (joined after 0.0, 12.1, 13.0, 20.4 ms)"}.
     */
    synchronized String describe() {
        StringBuilder requests = new StringBuilder(), joined = new StringBuilder();
        long t0 = members.getFirst().joinedNanos;
        for (Member m : members) {
            if (!requests.isEmpty()) { requests.append(", "); joined.append(", "); }
            requests.append(m.connection.stats().requests(NbdCommand.BLOCK_STATUS));
            joined.append(String.format(java.util.Locale.ROOT, "%.1f", (m.joinedNanos - t0) / 1e6));
        }
        return "requests per connection " + requests + " (joined after " + joined + " ms)";
    }

    /** How many connections are serving calls now. */
    synchronized int connections() { return members.size(); }

    /** The member with the fewest calls outstanding, if it has room; null when all are full. Holds the lock. */
    private Member leastBusy() {
        Member best = members.getFirst();
        for (Member m : members) if (m.outstanding < best.outstanding) best = m;
        return best.outstanding < PER_CONNECTION ? best : null;
    }

    @Override
    public CompletableFuture<ExtentBatch> blockStatus(String context, long offset, long length, boolean reqOne) {
        Member m;
        synchronized (this) {
            m = closed ? null : leastBusy();
            if (m == null && !closed) {
                Waiting w = new Waiting(context, offset, length, reqOne, new CompletableFuture<>());
                waiting.add(w);
                return w.result();
            }
            if (m != null) m.outstanding++;
        }
        if (m == null) return first.blockStatus(context, offset, length, reqOne);   // closed: the connection says so
        return send(m, context, offset, length, reqOne);
    }

    private CompletableFuture<ExtentBatch> send(Member m, String context, long offset, long length, boolean reqOne) {
        CompletableFuture<ExtentBatch> f;
        try {
            f = m.connection.blockStatus(context, offset, length, reqOne);
        } catch (RuntimeException e) {
            released(m);
            throw e;
        }
        return f.whenComplete((b, e) -> released(m));
    }

    /** A call on {@code m} is over: hands its slot to the longest-waiting call, if any. */
    private void released(Member m) {
        Waiting w;
        Member to;
        synchronized (this) {
            m.outstanding--;
            w = waiting.poll();
            if (w == null) return;
            to = leastBusy();
            to.outstanding++;   // not null: m has room now
        }
        dispatch(to, w);
    }

    private void dispatch(Member m, Waiting w) {
        if (w.result().isDone()) {   // given up meanwhile (cancelled scan)
            released(m);
            return;
        }
        try {
            send(m, w.context(), w.offset(), w.length(), w.reqOne()).whenComplete((b, e) -> {
                if (e != null) w.result().completeExceptionally(e);
                else w.result().complete(b);
            });
        } catch (RuntimeException e) {
            w.result().completeExceptionally(e);
        }
    }

    @Override public String name() { return first.name(); }
    @Override public long size() { return first.size(); }
    @Override public boolean readOnly() { return first.readOnly(); }
    @Override public List<String> contexts() { return first.contexts(); }
    @Override public long maxStatusLength() { return first.maxStatusLength(); }
    @Override public int preferredInFlight() { return first.preferredInFlight(); }
    @Override public SourceDetails details() { return first.details(); }

    /** The counters of every connection, added up. */
    @Override
    public synchronized WireStats stats() {
        long[] requests = new long[NbdCommand.values().length];
        long roundTrips = 0, sent = 0, received = 0, errors = 0;
        for (Member m : members) {
            WireStats s = m.connection.stats();
            for (int i = 0; i < requests.length; i++) requests[i] += s.requests()[i];
            roundTrips += s.roundTrips();
            sent += s.bytesSent();
            received += s.bytesReceived();
            errors += s.serverErrors();
        }
        return new WireStats(requests, roundTrips, sent, received, errors);
    }

    @Override
    public void close() {
        List<Member> all;
        List<Waiting> left;
        synchronized (this) {
            closed = true;
            all = List.copyOf(members);
            left = List.copyOf(waiting);
            waiting.clear();
        }
        for (Waiting w : left) w.result().cancel(false);
        for (Member m : all) m.connection.disconnect();   // all at once, then wait for each
        for (Member m : all) m.connection.close();
    }
}
