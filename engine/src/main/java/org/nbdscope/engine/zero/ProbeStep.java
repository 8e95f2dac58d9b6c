package org.nbdscope.engine.zero;

/** One source the probe tried, in order: what it answered, why, and what it cost. */
public record ProbeStep(ProbeSource source, Answer answer, String note, Cost cost) {}
