package org.nbdscope.engine.image;

/**
 * The answer of {@link Layer#status}: the first {@code length} bytes of the asked range share
 * {@code flags} ({@link Layer#DATA} ...); where {@link Layer#OFFSET_VALID} is set they are stored
 * contiguously from {@code hostOffset} in {@code hostFile}.
 */
public record LayerStatus(long length, int flags, long hostOffset, ImageFile hostFile) {
    public LayerStatus {
        if (length <= 0) throw new IllegalArgumentException("status run of length " + length);
    }

    public boolean has(int flag) { return (flags & flag) != 0; }

    public LayerStatus withLength(long n) { return new LayerStatus(n, flags, hostOffset, hostFile); }

    public LayerStatus withFlags(int f) { return new LayerStatus(length, f, hostOffset, hostFile); }
}
