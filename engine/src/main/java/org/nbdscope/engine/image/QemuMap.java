package org.nbdscope.engine.image;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.SourceException;

/**
 * The map {@code qemu-img map --output=json} prints for an image (qemu 10), entry for entry: the same
 * walk down the backing chain, the same fields, and the same merging of neighbours whose flags match and
 * whose host offsets are contiguous.
 */
public final class QemuMap {
    private QemuMap() {}

    /** qemu-img asks for at most 1 GiB per block-status call. */
    private static final long PROBE = 1L << 30;

    /**
     * One line of the map.
     *
     * @param depth   0 for the image itself, 1 for its backing file, ...
     * @param present allocated in the layer at {@code depth} (false: no layer has it)
     * @param zero    reads as zero
     * @param data    holds data
     * @param offset  host offset where qemu prints one, else -1
     */
    public record Entry(long start, long length, int depth, boolean present, boolean zero, boolean data,
                        boolean compressed, long offset) {
        public boolean hasOffset() { return offset >= 0; }

        /** The entry as qemu-img prints it, without separator. */
        public String toJson() {
            StringBuilder b = new StringBuilder(160);
            appendJson(b);
            return b.toString();
        }

        void appendJson(StringBuilder b) {
            b.append("{ \"start\": ").append(start)
                .append(", \"length\": ").append(length)
                .append(", \"depth\": ").append(depth)
                .append(", \"present\": ").append(present)
                .append(", \"zero\": ").append(zero)
                .append(", \"data\": ").append(data)
                .append(", \"compressed\": ").append(compressed);
            if (offset >= 0) b.append(", \"offset\": ").append(offset);
            b.append('}');
        }
    }

    /** All entries of the map of {@code source}, which must be an image opened by {@link ImageSources}. */
    public static List<Entry> entries(BlockSource source) {
        List<Entry> out = new ArrayList<>();
        forEach(source, out::add);
        return out;
    }

    /**
     * Streams the entries of the map of {@code source} in order.
     *
     * @throws SourceException when {@code source} is not an image file, when part of the map would come
     *                         from a backing file that was not followed, or when the image is corrupt
     */
    public static void forEach(BlockSource source, Consumer<Entry> sink) {
        if (!(source instanceof ImageSource image)) {
            throw new SourceException(source.name() + ": a qemu-img style map needs an image file (raw or qcow2)");
        }
        Layer top = image.top();
        long length = top.length();
        Acc curr = new Acc();
        while (curr.start + curr.length < length) {
            long offset = curr.start + curr.length;
            ChainWalker.Run r = ChainWalker.status(top, offset, Math.min(PROBE, length - offset));
            if (r.has(Layer.UNKNOWN)) {
                ChainLink missing = image.chain().getLast();
                throw new ImageException(image.path().getFileName() + ": the map at offset " + offset
                    + " depends on the backing file '" + BackingPaths.printable(missing.name())
                    + "', which was not opened (backing files are off)");
            }
            Acc next = new Acc(offset, r);
            if (curr.mergeable(next)) {
                curr.length += next.length;
                continue;
            }
            if (curr.length > 0) sink.accept(curr.entry());
            curr = next;
        }
        sink.accept(curr.entry());
    }

    /** The complete text qemu-img prints for these entries, final newline included. */
    public static String toJson(List<Entry> entries) {
        StringBuilder b = new StringBuilder(16 + entries.size() * 150);
        b.append('[');
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) b.append(",\n");
            entries.get(i).appendJson(b);
        }
        b.append("]\n");
        return b.toString();
    }

    /** {@code toJson(entries(source))}. */
    public static String toJson(BlockSource source) {
        return toJson(entries(source));
    }

    /**
     * Writes the map of {@code source} to {@code out} as qemu-img prints it, streaming (for maps with
     * millions of entries); {@code out} is flushed, not closed.
     */
    public static void writeJson(BlockSource source, OutputStream out) throws IOException {
        AsciiOut w = new AsciiOut(out);
        w.put('[');
        try {
            forEach(source, new Consumer<>() {
                private boolean first = true;

                @Override
                public void accept(Entry e) {
                    try {
                        if (!first) w.put(SEP);
                        first = false;
                        w.entry(e);
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                }
            });
        } catch (UncheckedIOException x) {
            throw x.getCause();
        }
        w.put(END);
        w.flush();
    }

    private static final byte[] SEP = ",\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "]\n".getBytes(StandardCharsets.US_ASCII);

    /** Writes entries straight as ASCII bytes: no per-entry strings, no charset encoder. */
    private static final class AsciiOut {
        private static final byte[] START = ascii("{ \"start\": ");
        private static final byte[] LENGTH = ascii(", \"length\": ");
        private static final byte[] DEPTH = ascii(", \"depth\": ");
        private static final byte[] PRESENT = ascii(", \"present\": ");
        private static final byte[] ZERO = ascii(", \"zero\": ");
        private static final byte[] DATA = ascii(", \"data\": ");
        private static final byte[] COMPRESSED = ascii(", \"compressed\": ");
        private static final byte[] OFFSET = ascii(", \"offset\": ");
        private static final byte[] TRUE = ascii("true");
        private static final byte[] FALSE = ascii("false");

        private final OutputStream out;
        private final byte[] buf = new byte[1 << 16];
        private int n;

        AsciiOut(OutputStream out) { this.out = out; }

        private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.US_ASCII); }

        void entry(Entry e) throws IOException {
            if (buf.length - n < 256) drain();
            put(START);
            put(e.start());
            put(LENGTH);
            put(e.length());
            put(DEPTH);
            put(e.depth());
            put(PRESENT);
            put(e.present() ? TRUE : FALSE);
            put(ZERO);
            put(e.zero() ? TRUE : FALSE);
            put(DATA);
            put(e.data() ? TRUE : FALSE);
            put(COMPRESSED);
            put(e.compressed() ? TRUE : FALSE);
            if (e.hasOffset()) {
                put(OFFSET);
                put(e.offset());
            }
            put('}');
        }

        void put(byte[] b) throws IOException {
            if (buf.length - n < b.length) drain();
            System.arraycopy(b, 0, buf, n, b.length);
            n += b.length;
        }

        void put(char c) throws IOException {
            if (n == buf.length) drain();
            buf[n++] = (byte) c;
        }

        /** A non-negative decimal number (all map fields are). */
        void put(long v) throws IOException {
            if (buf.length - n < 20) drain();
            if (v < 0) {
                byte[] s = ascii(Long.toString(v));
                put(s);
                return;
            }
            int digits = 1;
            for (long t = v; t >= 10; t /= 10) digits++;
            for (int i = n + digits - 1; i >= n; i--) {
                buf[i] = (byte) ('0' + v % 10);
                v /= 10;
            }
            n += digits;
        }

        private void drain() throws IOException {
            out.write(buf, 0, n);
            n = 0;
        }

        void flush() throws IOException {
            drain();
            out.flush();
        }
    }

    /** qemu-img's MapEntry while it is being merged. */
    private static final class Acc {
        final long start;
        long length;
        final int depth;
        final boolean present, zero, data, compressed, hasOffset;
        final long offset;
        final ImageFile file;

        Acc() {
            start = 0;
            depth = 0;
            present = zero = data = compressed = hasOffset = false;
            offset = 0;
            file = null;
        }

        Acc(long start, ChainWalker.Run r) {
            this.start = start;
            this.length = r.length();
            this.depth = r.depth();
            this.present = r.has(Layer.ALLOCATED);
            this.zero = r.has(Layer.ZERO);
            this.data = r.has(Layer.DATA);
            this.compressed = r.has(Layer.COMPRESSED);
            this.hasOffset = r.has(Layer.OFFSET_VALID);
            this.offset = r.hostOffset();
            this.file = hasOffset ? r.file() : null;
        }

        boolean mergeable(Acc n) {
            if (length == 0) return false;
            if (zero != n.zero || data != n.data || compressed != n.compressed || depth != n.depth
                || present != n.present || hasOffset != n.hasOffset || file != n.file) {
                return false;
            }
            return !hasOffset || offset + length == n.offset;
        }

        Entry entry() {
            return new Entry(start, length, depth, present, zero, data, compressed, hasOffset ? offset : -1);
        }
    }
}
