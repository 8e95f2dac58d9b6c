package org.nbdscope.engine.zero;

/**
 * The facts about a target that decide its probe and make-zero paths, for reports and session files.
 *
 * @param target       display name (URI without secrets, or file path)
 * @param kind         NBD export, raw file or qcow2 image
 * @param size         bytes
 * @param readOnly     writes refused
 * @param headerMode   "extended", "structured", "simple" or "file"
 * @param zeroFlag     the zero flag as negotiated ("not sent", "sent: zero, sparse")
 * @param blockStatus  base:allocation (or the file's map) available
 * @param writeZeroes  {@code NBD_FLAG_SEND_WRITE_ZEROES} (fallocate for raw files)
 * @param fastZero     {@code NBD_FLAG_SEND_FAST_ZERO}
 * @param maxZeroRequest largest single zeroing request
 */
public record TargetFacts(String target, TargetKind kind, long size, boolean readOnly, String headerMode, String zeroFlag,
                          boolean blockStatus, boolean writeZeroes, boolean fastZero, long maxZeroRequest) {
    public static TargetFacts of(ZeroTarget t) {
        return new TargetFacts(t.name(), t.kind(), t.size(), t.readOnly(), t.headerMode(), t.initState().describe(),
            t.canBlockStatus(), t.canWriteZeroes(), t.canFastZero(), t.maxZeroLength());
    }
}
