package org.nbdscope.engine.zero;

/** Does the target read as all zero? */
public enum Answer {
    /** Every byte reads as zero. */
    YES,
    /** Some range is not known to read as zero (block status reports data there) or reads non-zero. */
    NO,
    /** Nobody can tell with what was allowed: no zero flag, no block status, reading not permitted. */
    UNKNOWN
}
