package org.nbdscope.engine.session;

import java.time.Instant;

import org.nbdscope.engine.zero.Comparison;

/**
 * One compare run: the zero probe against make-zero (run or planned), their figures and which path won.
 *
 * @param at         when it finished
 * @param comparison the full record (both sides, the verdict, the probe, the run or plan)
 */
public record SavedComparison(Instant at, Comparison comparison) {
    public SavedComparison {
        if (comparison == null) throw new IllegalArgumentException("comparison: missing");
        if (comparison.probe() == null || comparison.makeZero() == null || comparison.probeResult() == null) {
            throw new IllegalArgumentException("comparison: needs both sides and the probe result");
        }
    }
}
