package org.nbdscope.engine.image;

/**
 * Walks a chain for one range the way qemu-img's {@code get_block_status} does: ask the top layer, and
 * while the answer is neither data nor zero go down to the backing file for the same prefix, counting the
 * depth.
 */
final class ChainWalker {
    private ChainWalker() {}

    /** One answer: {@code length} bytes from the asked offset, found at {@code depth} (0 = top). */
    record Run(long length, int flags, int depth, long hostOffset, ImageFile file) {
        boolean has(int flag) { return (flags & flag) != 0; }
    }

    /** Status of {@code [offset, offset + bytes)}; requires {@code 0 <= offset < top.length()}, {@code bytes >= 1}. */
    static Run status(Layer top, long offset, long bytes) {
        Layer layer = top;
        int depth = 0;
        while (true) {
            LayerStatus s = layer.status(offset, Math.min(bytes, layer.length() - offset));
            bytes = s.length();
            Layer below = layer.backing();
            if (s.has(Layer.DATA | Layer.ZERO | Layer.UNKNOWN) || below == null) {
                return new Run(bytes, s.flags(), depth, s.hostOffset(), s.hostFile());
            }
            layer = below;
            depth++;
        }
    }
}
