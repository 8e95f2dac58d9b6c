package org.nbdscope.engine.zero;

/**
 * One rung make-zero ran.
 *
 * @param strategy  the rung
 * @param completed true when the rung zeroed everything it was given
 * @param bytes     bytes its successful requests covered
 * @param note      what happened ("1 request covered 1 TiB", "NBD_ENOTSUP on the first request: falling back")
 * @param cost      its cost, including any map it read to find the extents that are not zero
 */
public record Attempt(Strategy strategy, boolean completed, long bytes, String note, Cost cost) {}
