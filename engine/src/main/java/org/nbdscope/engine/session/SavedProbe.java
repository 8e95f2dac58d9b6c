package org.nbdscope.engine.session;

import java.time.Instant;

import org.nbdscope.engine.zero.ProbeResult;
import org.nbdscope.engine.zero.TargetFacts;

/**
 * One zero probe: the target's facts at the time and the result with its steps and costs.
 *
 * @param at     when it finished
 * @param facts  header mode, zero flag, fast zero … as they were
 * @param result the answer, its source, every step and the cost
 */
public record SavedProbe(Instant at, TargetFacts facts, ProbeResult result) {
    public SavedProbe {
        if (result == null) throw new IllegalArgumentException("result: missing");
    }
}
