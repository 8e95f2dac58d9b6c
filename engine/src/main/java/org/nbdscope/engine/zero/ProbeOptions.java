package org.nbdscope.engine.zero;

/**
 * How the probe may look.
 *
 * @param useZeroFlag believe {@code NBD_INIT_ZERO} (ignored anyway once the target was written to)
 * @param allowRead   read the bytes block status cannot vouch for (costly: said so before it starts); for raw
 *                    files this is the content check after {@code SEEK_DATA}
 * @param inFlight    block-status or read requests kept in flight after the first answer (1 = strictly one at a time)
 */
public record ProbeOptions(boolean useZeroFlag, boolean allowRead, int inFlight) {
    public static final int DEFAULT_IN_FLIGHT = 8;

    public ProbeOptions {
        if (inFlight < 1 || inFlight > 256) throw new IllegalArgumentException("probe requests in flight must be 1..256, not " + inFlight);
    }

    public static ProbeOptions defaults() { return new ProbeOptions(true, false, DEFAULT_IN_FLIGHT); }

    public ProbeOptions withRead(boolean read) { return new ProbeOptions(useZeroFlag, read, inFlight); }

    public ProbeOptions withZeroFlag(boolean use) { return new ProbeOptions(use, allowRead, inFlight); }

    public ProbeOptions withInFlight(int n) { return new ProbeOptions(useZeroFlag, allowRead, n); }
}
