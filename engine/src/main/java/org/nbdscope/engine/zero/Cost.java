package org.nbdscope.engine.zero;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.source.WireStats;

/**
 * What something cost on the wire (or, for files, in system calls): requests by command name, round trips,
 * bytes sent and received, server errors, and wall time. Plain data, so it serializes as JSON as is.
 */
public record Cost(Map<String, Long> requestsByCommand, long requests, long roundTrips, long bytesSent,
                   long bytesReceived, long serverErrors, long wallNanos) {

    public static final Cost NONE = new Cost(Map.of(), 0, 0, 0, 0, 0, 0);

    public Cost {
        requestsByCommand = requestsByCommand == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(requestsByCommand));
    }

    /** The counters accrued since {@code before}, and the wall time since {@code startNanos}. */
    public static Cost since(WireStats before, WireStats after, long startNanos) {
        return of(after.minus(before), System.nanoTime() - startNanos);
    }

    public static Cost of(WireStats delta, long wallNanos) {
        return new Cost(delta.requestsByCommand(), delta.totalRequests(), delta.roundTrips(), delta.bytesSent(),
            delta.bytesReceived(), delta.serverErrors(), wallNanos);
    }

    /** Requests of one command. */
    public long requests(NbdCommand c) { return requestsByCommand.getOrDefault(c.name(), 0L); }

    public double wallMillis() { return wallNanos / 1e6; }

    /** Both costs together (wall times add: the parts ran one after the other). */
    public Cost plus(Cost o) {
        Map<String, Long> m = new LinkedHashMap<>();
        for (NbdCommand c : NbdCommand.values()) {
            long n = requests(c) + o.requests(c);
            if (n != 0) m.put(c.name(), n);
        }
        return new Cost(m, requests + o.requests, roundTrips + o.roundTrips, bytesSent + o.bytesSent,
            bytesReceived + o.bytesReceived, serverErrors + o.serverErrors, wallNanos + o.wallNanos);
    }

    /** "3 requests (BLOCK_STATUS 2, WRITE_ZEROES 1), 3 round trips, 96 B sent, 160 B received, 1.2 ms". */
    public String summary() {
        StringBuilder sb = new StringBuilder().append(requests).append(requests == 1 ? " request" : " requests");
        if (!requestsByCommand.isEmpty()) {
            sb.append(" (");
            boolean first = true;
            for (Map.Entry<String, Long> e : requestsByCommand.entrySet()) {
                if (!first) sb.append(", ");
                sb.append(e.getKey()).append(' ').append(e.getValue());
                first = false;
            }
            sb.append(')');
        }
        sb.append(", ").append(roundTrips).append(roundTrips == 1 ? " round trip, " : " round trips, ")
            .append(Units.bytes(bytesSent)).append(" sent, ").append(Units.bytes(bytesReceived)).append(" received");
        if (serverErrors != 0) sb.append(", ").append(serverErrors).append(serverErrors == 1 ? " server error" : " server errors");
        return sb.append(", ").append(Units.millis(wallNanos)).toString();
    }
}
