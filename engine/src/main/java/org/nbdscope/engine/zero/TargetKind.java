package org.nbdscope.engine.zero;

/** What sits behind a {@link ZeroTarget}: it decides which probe sources and make-zero rungs apply. */
public enum TargetKind {
    /** An NBD export: zero flag, block status, WRITE_ZEROES with FAST_ZERO, literal writes. */
    NBD,
    /** A raw image file or block device: SEEK_DATA/SEEK_HOLE, fallocate. */
    RAW_FILE,
    /** A qcow2 image: probed through its L1/L2 tables; make-zero is refused. */
    QCOW2
}
