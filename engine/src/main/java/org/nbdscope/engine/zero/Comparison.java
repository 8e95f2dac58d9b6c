package org.nbdscope.engine.zero;

/**
 * The zero-flag probe against full make-zero on one target: the record the command line prints, the app
 * shows and session files keep (plain data, serializable with Jackson as is).
 *
 * @param target      display name (URI without secrets, or file path)
 * @param kind        NBD export, raw file or qcow2 image
 * @param size        bytes
 * @param headerMode  "extended", "structured", "simple" or "file"
 * @param zeroFlag    the zero flag as negotiated ("not sent", "sent: zero")
 * @param fastZero    the server advertised {@code NBD_FLAG_SEND_FAST_ZERO}
 * @param probe       the probe side (always measured)
 * @param makeZero    the make-zero side (measured when confirmed, else the plan's prediction)
 * @param winner      "zero probe", "make-zero", "tie" or "neither"
 * @param why         one sentence: why that side won
 * @param probeResult the probe in full
 * @param makeZeroResult the make-zero run in full, or null when only planned
 * @param plan        the plan, or null when make-zero ran
 * @param at          when the comparison finished (ISO-8601)
 */
public record Comparison(String target, TargetKind kind, long size, String headerMode, String zeroFlag, boolean fastZero,
                         Side probe, Side makeZero, String winner, String why, ProbeResult probeResult,
                         MakeZeroResult makeZeroResult, Plan plan, String at) {}
