package org.nbdscope.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

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
 * {@link BlockSource}: each block-status call goes to the connection with the fewest calls outstanding.
 * Servers such as nbdkit work on a bounded number of requests per connection, so a second connection
 * doubles the requests actually in progress when each one waits (a slow disk, a WAN link). The extra
 * connections are opened in the background and join as they come up; the scan starts on the first at once.
 */
final class ConnectionPool implements BlockSource {
    /** Below this many block-status requests one connection's own parallelism is enough. */
    static final long MIN_REQUESTS = 16;

    private record Member(NbdConnection connection, AtomicInteger outstanding) {}

    private final NbdConnection first;
    private final List<Member> members = new ArrayList<>();
    private boolean closed;

    private ConnectionPool(NbdConnection first) {
        this.first = first;
        members.add(new Member(first, new AtomicInteger()));
    }

    /**
     * {@code source} itself when more connections would not help (not NBD, no multi-conn, or a map of at
     * most {@link #MIN_REQUESTS} requests), else a pool that opens {@code extra} more connections with {@code options}.
     */
    static BlockSource widen(BlockSource source, int extra, ClientOptions options, String context) {
        if (extra <= 0 || !(source instanceof NbdConnection c)) return source;
        if (!c.negotiated().has(TransmissionFlags.CAN_MULTI_CONN)) return source;
        long requests = (c.size() + c.maxStatusLength() - 1) / Math.max(1, c.maxStatusLength());
        if (requests <= MIN_REQUESTS) return source;
        ConnectionPool pool = new ConnectionPool(c);
        for (int i = 0; i < extra; i++) pool.join(NbdClient.connectAsync(c.uri(), options), context);
        return pool;
    }

    private void join(CompletableFuture<NbdConnection> f, String context) {
        // a connection that comes up after close() is closed at once
        f.whenComplete((c, err) -> {
            if (c == null) return;   // the first connection carries on alone
            boolean usable = c.size() == first.size() && c.contexts().contains(context);
            synchronized (this) {
                if (!closed && usable) {
                    members.add(new Member(c, new AtomicInteger()));
                    return;
                }
            }
            c.close();
        });
    }

    /** How many connections are serving calls now. */
    synchronized int connections() { return members.size(); }

    private synchronized Member leastBusy() {
        Member best = members.getFirst();
        for (Member m : members) if (m.outstanding().get() < best.outstanding().get()) best = m;
        best.outstanding().incrementAndGet();
        return best;
    }

    @Override
    public CompletableFuture<ExtentBatch> blockStatus(String context, long offset, long length, boolean reqOne) {
        Member m = leastBusy();
        CompletableFuture<ExtentBatch> f;
        try {
            f = m.connection().blockStatus(context, offset, length, reqOne);
        } catch (RuntimeException e) {
            m.outstanding().decrementAndGet();
            throw e;
        }
        return f.whenComplete((b, e) -> m.outstanding().decrementAndGet());
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
            WireStats s = m.connection().stats();
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
        synchronized (this) {
            closed = true;
            all = List.copyOf(members);
        }
        for (Member m : all) m.connection().close();
    }
}
