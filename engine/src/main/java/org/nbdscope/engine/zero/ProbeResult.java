package org.nbdscope.engine.zero;

import java.util.List;

/**
 * The zero probe's answer.
 *
 * @param answer       yes, no or unknown
 * @param source       the source that gave the answer ({@link ProbeSource#NONE} when none could)
 * @param detail       one sentence: why, with the offset where it matters
 * @param firstNonZero for {@link Answer#NO}, the start of the first range not known to read as zero; else -1
 * @param zeroPrefix   bytes from offset 0 known to read as zero (the whole size for {@link Answer#YES})
 * @param steps        every source tried, cheapest first
 * @param cost         the probe's total cost (after the handshake: the zero flag costs nothing)
 */
public record ProbeResult(Answer answer, ProbeSource source, String detail, long firstNonZero, long zeroPrefix,
                          List<ProbeStep> steps, Cost cost) {
    public ProbeResult {
        steps = List.copyOf(steps);
    }
}
