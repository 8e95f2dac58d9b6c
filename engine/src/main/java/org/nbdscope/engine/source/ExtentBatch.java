package org.nbdscope.engine.source;

/**
 * Extents of one block-status answer, starting at {@code offset}: {@code lengths[i]} bytes with
 * {@code status[i]}, for {@code i < count}. Lengths are positive and add up to {@link #covered()}.
 */
public record ExtentBatch(long offset, long[] lengths, long[] status, int count) {
    public ExtentBatch {
        if (count <= 0 || count > lengths.length || count > status.length) {
            throw new IllegalArgumentException("batch at " + offset + " has " + count + " extents");
        }
    }

    public static ExtentBatch single(long offset, long length, long status) {
        return new ExtentBatch(offset, new long[] {length}, new long[] {status}, 1);
    }

    /** Bytes described, from {@code offset}. */
    public long covered() {
        long s = 0;
        for (int i = 0; i < count; i++) s += lengths[i];
        return s;
    }

    public long end() { return offset + covered(); }
}
