package org.nbdscope.engine.source;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nbdscope.engine.proto.NbdCommand;

/** A snapshot of {@link WireCounters}; {@code requests} is indexed by {@link NbdCommand#ordinal()}. */
public record WireStats(long[] requests, long roundTrips, long bytesSent, long bytesReceived, long serverErrors) {
    public static final WireStats ZERO = new WireStats(new long[NbdCommand.values().length], 0, 0, 0, 0);

    public long requests(NbdCommand c) { return requests[c.ordinal()]; }

    public long totalRequests() {
        long s = 0;
        for (long r : requests) s += r;
        return s;
    }

    /** The counters accrued between {@code before} and this snapshot. */
    public WireStats minus(WireStats before) {
        long[] r = new long[requests.length];
        for (int i = 0; i < r.length; i++) r[i] = requests[i] - before.requests[i];
        return new WireStats(r, roundTrips - before.roundTrips, bytesSent - before.bytesSent,
            bytesReceived - before.bytesReceived, serverErrors - before.serverErrors);
    }

    /** Non-zero request counts by command name, in command order. */
    public Map<String, Long> requestsByCommand() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (NbdCommand c : NbdCommand.values()) if (requests[c.ordinal()] != 0) m.put(c.name(), requests[c.ordinal()]);
        return m;
    }
}
