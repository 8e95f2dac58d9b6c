package org.nbdscope.engine.image;

/**
 * How an image file is opened.
 *
 * @param allowBacking     follow backing files (plain file names inside the image's directory only);
 *                         when false the chain is shown but not opened, and ranges that would read from
 *                         the backing file are reported as unknown
 * @param maxBackingDepth  how many backing files may be opened below the top image (1..64)
 * @param detectZeroes     read allocated data and report ranges that read as zero as
 *                         {@code STATE_ZERO} in {@code base:allocation} (costs a read of all allocated data)
 */
public record ImageOptions(boolean allowBacking, int maxBackingDepth, boolean detectZeroes) {
    public static final int DEFAULT_MAX_BACKING_DEPTH = 16;
    public static final int MAX_BACKING_DEPTH = 64;

    public ImageOptions {
        if (maxBackingDepth < 1 || maxBackingDepth > MAX_BACKING_DEPTH) {
            throw new IllegalArgumentException("max backing depth must be 1.." + MAX_BACKING_DEPTH + ", not " + maxBackingDepth);
        }
    }

    /** Backing files followed (up to 16 deep), no content pass. */
    public static ImageOptions defaults() { return new ImageOptions(true, DEFAULT_MAX_BACKING_DEPTH, false); }

    /** The image alone: backing files shown but never opened. */
    public static ImageOptions standalone() { return new ImageOptions(false, DEFAULT_MAX_BACKING_DEPTH, false); }

    public ImageOptions withAllowBacking(boolean b) { return new ImageOptions(b, maxBackingDepth, detectZeroes); }

    public ImageOptions withMaxBackingDepth(int d) { return new ImageOptions(allowBacking, d, detectZeroes); }

    public ImageOptions withDetectZeroes(boolean z) { return new ImageOptions(allowBacking, maxBackingDepth, z); }
}
