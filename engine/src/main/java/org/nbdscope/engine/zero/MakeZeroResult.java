package org.nbdscope.engine.zero;

import java.util.List;

/**
 * What make-zero did.
 *
 * @param outcome   how it ended
 * @param strategy  the rung that finished the job (null when refused, or when nothing finished)
 * @param message   one sentence for the user
 * @param before    the rung-1 probe (null when skipped or forced)
 * @param attempts  the rungs that ran, in order
 * @param verify    the probe after zeroing (null when nothing was written or it could not run)
 * @param zeroCost  the zeroing rungs only (no probes)
 * @param cost      everything: probe, rungs, verification
 */
public record MakeZeroResult(Outcome outcome, Strategy strategy, String message, ProbeResult before,
                             List<Attempt> attempts, ProbeResult verify, Cost zeroCost, Cost cost) {
    public MakeZeroResult {
        attempts = List.copyOf(attempts);
    }

    public enum Outcome {
        /** The probe said zero: nothing was written. */
        ALREADY_ZERO,
        /** Zeroed and verified as zero. */
        ZEROED,
        /** The zeroing commands succeeded, but no probe could confirm it. */
        UNVERIFIED,
        /** The zeroing commands succeeded, but the verifying probe does not see all zero. */
        STILL_NOT_ZERO,
        /** Nothing was written: read-only, no confirmation, qcow2, or a needed rung not allowed. */
        REFUSED,
        /** A command failed. */
        FAILED,
        /** The user cancelled; some ranges may be zeroed. */
        CANCELLED
    }

    /** The final verified state: yes only when a probe saw all zero. */
    public Answer finalState() {
        if (outcome == Outcome.ALREADY_ZERO) return Answer.YES;
        if (verify != null) return verify.answer();
        return before != null ? before.answer() : Answer.UNKNOWN;
    }
}
