package org.nbdscope.engine.source;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

import org.nbdscope.engine.proto.NbdCommand;

/** Thread-safe counters of one connection or file: requests by command, round trips, bytes, errors. */
public final class WireCounters {
    private final AtomicLongArray requests = new AtomicLongArray(NbdCommand.values().length);
    private final AtomicLong roundTrips = new AtomicLong();
    private final AtomicLong bytesSent = new AtomicLong();
    private final AtomicLong bytesReceived = new AtomicLong();
    private final AtomicLong serverErrors = new AtomicLong();

    public void request(NbdCommand c) { requests.incrementAndGet(c.ordinal()); }

    /** One request/answer exchange completed (handshake options count too). */
    public void roundTrip() { roundTrips.incrementAndGet(); }

    public void sent(long n) { bytesSent.addAndGet(n); }

    public void received(long n) { bytesReceived.addAndGet(n); }

    public void serverError() { serverErrors.incrementAndGet(); }

    public WireStats snapshot() {
        long[] r = new long[requests.length()];
        for (int i = 0; i < r.length; i++) r[i] = requests.get(i);
        return new WireStats(r, roundTrips.get(), bytesSent.get(), bytesReceived.get(), serverErrors.get());
    }
}
