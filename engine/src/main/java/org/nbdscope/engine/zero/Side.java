package org.nbdscope.engine.zero;

import java.util.Map;

/**
 * One side of a {@link Comparison}: the zero probe, or make-zero (run, or planned when not confirmed).
 *
 * @param path        "zero probe" or "make-zero"
 * @param method      the source or rung that decided ("ZERO_FLAG", "FAST_ZERO", "plan: FAST_ZERO")
 * @param executed    false when the figures are a plan's prediction (then {@code wallMillis} is -1)
 * @param finalState  the verified state afterwards; null when not executed
 * @param detail      one sentence
 */
public record Side(String path, String method, boolean executed, Map<String, Long> requestsByCommand, long requests,
                   long roundTrips, long bytesSent, long bytesReceived, double wallMillis, long serverErrors,
                   Answer finalState, String detail) {
    public Side {
        requestsByCommand = requestsByCommand == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(requestsByCommand));
    }

    static Side measured(String path, String method, Cost c, Answer state, String detail) {
        return new Side(path, method, true, c.requestsByCommand(), c.requests(), c.roundTrips(), c.bytesSent(),
            c.bytesReceived(), c.wallMillis(), c.serverErrors(), state, detail);
    }

    /** A plan's prediction: each request is one round trip; nothing was timed. */
    static Side predicted(String path, String method, Prediction p, String detail) {
        return new Side(path, method, false, p.requestsByCommand(), p.requests(), p.requests(), p.bytesSent(),
            p.bytesReceived(), -1, 0, null, detail);
    }
}
