package org.nbdscope.engine.session;

import java.time.Instant;

import org.nbdscope.engine.zero.MakeZeroResult;
import org.nbdscope.engine.zero.Plan;
import org.nbdscope.engine.zero.TargetFacts;

/**
 * One make-zero: a run (with its rungs, verification and costs) or only its plan (predicted figures).
 *
 * @param at     when it finished
 * @param facts  the target's facts at the time
 * @param result the run, or null when only planned
 * @param plan   the plan, or null when it ran
 */
public record SavedMakeZero(Instant at, TargetFacts facts, MakeZeroResult result, Plan plan) {
    public SavedMakeZero {
        if ((result == null) == (plan == null)) {
            throw new IllegalArgumentException("a make-zero entry holds its result or its plan, not " + (result == null ? "neither" : "both"));
        }
    }

    public boolean planOnly() { return result == null; }
}
