package org.nbdscope.engine.zero;

/**
 * How make-zero may work.
 *
 * @param strategy           force one rung (no fallback, no initial probe), or null for the whole ladder
 * @param allowLiteralWrites allow rung 4, literal zero writes (costs as many bytes on the wire as it zeroes)
 * @param allowRead          allow the probes to read content (costly); literal writes always verify by reading back
 * @param skipProbe          skip rung 1: make zero without asking first (the "full make-zero" side of compare)
 * @param inFlight           zeroing and mapping requests kept in flight at once
 * @param maxRequest         cap for one zeroing request, or 0 for the target's own limit
 */
public record ZeroOptions(Strategy strategy, boolean allowLiteralWrites, boolean allowRead, boolean skipProbe,
                          int inFlight, long maxRequest) {
    public static final int DEFAULT_IN_FLIGHT = 8;

    public ZeroOptions {
        if (inFlight < 1 || inFlight > 256) throw new IllegalArgumentException("requests in flight must be 1..256, not " + inFlight);
        if (maxRequest < 0) throw new IllegalArgumentException("maximum request length must not be negative: " + maxRequest);
    }

    public static ZeroOptions defaults() { return new ZeroOptions(null, false, false, false, DEFAULT_IN_FLIGHT, 0); }

    public ZeroOptions withStrategy(Strategy s) { return new ZeroOptions(s, allowLiteralWrites, allowRead, skipProbe, inFlight, maxRequest); }

    public ZeroOptions withLiteralWrites(boolean b) { return new ZeroOptions(strategy, b, allowRead, skipProbe, inFlight, maxRequest); }

    public ZeroOptions withRead(boolean b) { return new ZeroOptions(strategy, allowLiteralWrites, b, skipProbe, inFlight, maxRequest); }

    public ZeroOptions withSkipProbe(boolean b) { return new ZeroOptions(strategy, allowLiteralWrites, allowRead, b, inFlight, maxRequest); }

    public ZeroOptions withInFlight(int n) { return new ZeroOptions(strategy, allowLiteralWrites, allowRead, skipProbe, n, maxRequest); }

    public ZeroOptions withMaxRequest(long n) { return new ZeroOptions(strategy, allowLiteralWrites, allowRead, skipProbe, inFlight, n); }
}
