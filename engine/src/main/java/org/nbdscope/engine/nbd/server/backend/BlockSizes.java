package org.nbdscope.engine.nbd.server.backend;

/**
 * Size constraints of an export ({@code NBD_INFO_BLOCK_SIZE}): minimum block (a power of two up to
 * 64 KiB), preferred block (a power of two, at least 512 and the minimum) and maximum payload.
 */
public record BlockSizes(int minimum, int preferred, int maximumPayload) {
    /** The spec's maximum payload every client may assume: 32 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD = 32 << 20;
    /** Minimum 1, preferred 4 KiB, maximum payload 32 MiB. */
    public static final BlockSizes DEFAULT = new BlockSizes(1, 4096, DEFAULT_MAX_PAYLOAD);

    public BlockSizes {
        if (minimum < 1 || Integer.bitCount(minimum) != 1 || minimum > 65536) {
            throw new IllegalArgumentException("minimum block size " + minimum + " is not a power of two from 1 to 65536");
        }
        if (preferred < Math.max(512, minimum) || Integer.bitCount(preferred) != 1) {
            throw new IllegalArgumentException("preferred block size " + preferred + " is not a power of two of at least max(512, minimum)");
        }
        if (maximumPayload < preferred) {
            throw new IllegalArgumentException("maximum payload " + maximumPayload + " is below the preferred block size " + preferred);
        }
    }

    public BlockSizes withMaximumPayload(int max) { return new BlockSizes(minimum, preferred, max); }

    /** True when {@code value} is a multiple of the minimum block size. */
    public boolean aligned(long value) { return (value & (minimum - 1)) == 0; }
}
