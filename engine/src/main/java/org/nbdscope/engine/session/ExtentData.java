package org.nbdscope.engine.session;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import org.nbdscope.engine.extent.ExtentMap;

/**
 * A scan's extent map as kept in a session file, in the compact encoding {@value #ENCODING} (see
 * {@code docs/session-format.md}): per extent, its length divided by {@code 2^shift} and its status plus one,
 * both as unsigned LEB128 varints, interleaved; the bytes deflated and written as base64, with the
 * count, the raw length and a CRC-32 so truncation or tampering is detected. Ten million extents take
 * tens of MB, not hundreds.
 *
 * <p>Decoding checks every field before it allocates anything in proportion to it, and appends to the
 * map only what the data really holds: a hostile file costs at most what its bytes inflate to.
 * An instance is immutable in effect: {@link #map()} is shared and must not be appended to (take a
 * {@link #toExtentMap()} copy to change it).
 */
public final class ExtentData {
    /** The one encoding this build writes and reads. */
    public static final String ENCODING = "len-status-varint/deflate/base64";
    /** The most extents one scan may hold in a file (64 Mi: 768 MiB of {@link ExtentMap} arrays). */
    public static final int MAX_EXTENTS = 1 << 26;

    /**
     * The JSON form.
     *
     * @param encoding {@link #ENCODING}
     * @param size     the export's size in bytes
     * @param covered  bytes known from offset 0 (the map's end); the rest is unknown
     * @param count    extents encoded
     * @param shift    every length is a multiple of {@code 2^shift} and is stored divided by it
     * @param rawBytes bytes of the varint stream before deflating
     * @param crc32    CRC-32 of the varint stream
     * @param data     the deflated varint stream, base64 (RFC 4648, with padding)
     */
    public record Encoded(String encoding, long size, long covered, int count, int shift, long rawBytes, long crc32, String data) {}

    private final Encoded encoded;
    private final ExtentMap map;

    private ExtentData(Encoded encoded, ExtentMap map) {
        this.encoded = encoded;
        this.map = map;
    }

    /** Encodes a snapshot of {@code m} (pass a map no scan is still appending to). */
    public static ExtentData of(ExtentMap m) {
        return new ExtentData(encode(m), m);
    }

    /** Checks and decodes the JSON form; fails with {@link IllegalArgumentException} naming the field that is wrong. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ExtentData decode(Encoded e) {
        return new ExtentData(e, decodeMap(e));
    }

    @JsonValue
    public Encoded encoded() { return encoded; }

    /** The decoded map, shared: read it, never append to it. */
    public ExtentMap map() { return map; }

    /** A fresh copy of the map that the caller owns. */
    public ExtentMap toExtentMap() {
        return ExtentMap.adopt(map.size(), map.startsCopy(), map.statusCopy(), map.count(), map.covered());
    }

    public long size() { return encoded.size(); }

    public long covered() { return encoded.covered(); }

    public int count() { return encoded.count(); }

    // ---- encoding ----

    static Encoded encode(ExtentMap m) {
        long[] starts;
        int[] status;
        long covered;
        synchronized (m) {
            starts = m.startsCopy();
            status = m.statusCopy();
            covered = m.covered();
        }
        int n = starts.length;
        long or = covered;
        for (long s : starts) or |= s;
        int shift = or == 0 ? 0 : Math.min(62, Long.numberOfTrailingZeros(or));
        VarintBuffer raw = new VarintBuffer(Math.max(64, n * 4));
        for (int i = 0; i < n; i++) {
            long end = i + 1 < n ? starts[i + 1] : covered;
            raw.put((end - starts[i]) >>> shift);
            raw.put(Integer.toUnsignedLong(status[i] + 1));
        }
        CRC32 crc = new CRC32();
        crc.update(raw.buf, 0, raw.len);
        Deflater d = new Deflater(Deflater.BEST_SPEED);   // level 6 is 7 % smaller and 5 times slower on 10 million extents
        ByteArrayOutputStream z = new ByteArrayOutputStream(Math.max(64, raw.len / 3));
        try {
            d.setInput(raw.buf, 0, raw.len);
            d.finish();
            byte[] chunk = new byte[1 << 16];
            while (!d.finished()) {
                int k = d.deflate(chunk);
                z.write(chunk, 0, k);
            }
        } finally {
            d.end();
        }
        return new Encoded(ENCODING, m.size(), covered, n, shift, raw.len, crc.getValue(),
            Base64.getEncoder().encodeToString(z.toByteArray()));
    }

    /** A growable byte array of unsigned LEB128 varints. */
    private static final class VarintBuffer {
        byte[] buf;
        int len;

        VarintBuffer(int capacity) { buf = new byte[capacity]; }

        void put(long v) {
            if (buf.length - len < 10) {
                long grown = Math.max(buf.length + 10L, (long) buf.length + (buf.length >> 1));
                if (grown > Integer.MAX_VALUE - 16) throw new IllegalStateException("extent map too large to encode");
                buf = java.util.Arrays.copyOf(buf, (int) grown);
            }
            while ((v & ~0x7FL) != 0) {
                buf[len++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }
    }

    // ---- decoding ----

    static ExtentMap decodeMap(Encoded e) {
        if (e == null) throw new IllegalArgumentException("extents: missing");
        if (!ENCODING.equals(e.encoding())) {
            throw new IllegalArgumentException("encoding: '" + e.encoding() + "' is not known (this nbdscope reads '" + ENCODING + "')");
        }
        if (e.size() < 0) throw new IllegalArgumentException("size: " + e.size() + " is negative");
        if (e.covered() < 0 || e.covered() > e.size()) {
            throw new IllegalArgumentException("covered: " + e.covered() + " is outside 0.." + e.size());
        }
        if (e.shift() < 0 || e.shift() > 62) throw new IllegalArgumentException("shift: " + e.shift() + " is outside 0..62");
        if ((e.covered() & ((1L << e.shift()) - 1)) != 0) {
            throw new IllegalArgumentException("covered: " + e.covered() + " is not a multiple of 2^shift (" + (1L << e.shift()) + ")");
        }
        int count = e.count();
        if (count < 0 || count > MAX_EXTENTS) throw new IllegalArgumentException("count: " + count + " is outside 0.." + MAX_EXTENTS);
        if ((count == 0) != (e.covered() == 0)) {
            throw new IllegalArgumentException("count: " + count + " extents cannot cover " + e.covered() + " bytes");
        }
        if (count > (e.covered() >>> e.shift())) {
            throw new IllegalArgumentException("count: " + count + " extents of at least " + (1L << e.shift()) + " bytes do not fit in " + e.covered());
        }
        if (e.rawBytes() < 2L * count || e.rawBytes() > 15L * count) {
            throw new IllegalArgumentException("rawBytes: " + e.rawBytes() + " does not fit " + count + " extents (2 to 15 bytes each)");
        }
        if (e.crc32() < 0 || e.crc32() > 0xFFFFFFFFL) throw new IllegalArgumentException("crc32: " + e.crc32() + " is not a CRC-32");
        if (e.data() == null) throw new IllegalArgumentException("data: missing");
        long maxText = 4 * ((e.rawBytes() + e.rawBytes() / 1000 + 1024) / 3 + 1);
        if (e.data().length() > maxText) {
            throw new IllegalArgumentException("data: " + e.data().length() + " characters is more than " + e.rawBytes() + " raw bytes deflate to");
        }
        byte[] z;
        try {
            z = Base64.getDecoder().decode(e.data());
        } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException("data: not base64 (" + x.getMessage() + ")");
        }
        // deflate cannot shrink data by more than about 1032:1
        if (e.rawBytes() > 1032L * z.length + 1024) {
            throw new IllegalArgumentException("rawBytes: " + e.rawBytes() + " is more than " + z.length + " deflated bytes can hold");
        }
        return new Decoder(e).run(z);
    }

    /**
     * Streams the inflated bytes through a varint reader into compact arrays the map then adopts. The arrays
     * are as long as {@code count}, which the checks above have bounded by the deflated bytes actually present.
     */
    private static final class Decoder {
        private final Encoded e;
        private final long[] starts;
        private final int[] status;
        private long covered;
        private final CRC32 crc = new CRC32();
        private long raw;
        private long value;
        private int bits;
        private boolean haveLength;
        private long length;
        private int extents;

        Decoder(Encoded e) {
            this.e = e;
            this.starts = new long[e.count()];
            this.status = new int[e.count()];
        }

        ExtentMap run(byte[] z) {
            Inflater inf = new Inflater();
            try {
                inf.setInput(z);
                byte[] chunk = new byte[1 << 16];
                while (!inf.finished()) {
                    int k;
                    try {
                        k = inf.inflate(chunk);
                    } catch (DataFormatException x) {
                        throw new IllegalArgumentException("data: corrupt deflate stream after " + raw + " bytes (" + x.getMessage() + ")");
                    }
                    if (k == 0 && !inf.finished() && (inf.needsInput() || inf.needsDictionary())) {
                        throw new IllegalArgumentException("data: truncated: the deflate stream ends after " + raw + " of " + e.rawBytes() + " bytes");
                    }
                    if (raw + k > e.rawBytes()) {
                        throw new IllegalArgumentException("data: inflates to more than rawBytes (" + e.rawBytes() + ")");
                    }
                    crc.update(chunk, 0, k);
                    raw += k;
                    feed(chunk, k);
                }
                if (inf.getRemaining() != 0) throw new IllegalArgumentException("data: " + inf.getRemaining() + " bytes after the end of the deflate stream");
            } finally {
                inf.end();
            }
            if (raw != e.rawBytes()) throw new IllegalArgumentException("data: inflates to " + raw + " bytes, rawBytes says " + e.rawBytes());
            if (crc.getValue() != e.crc32()) {
                throw new IllegalArgumentException("crc32: the extents' checksum is " + crc.getValue() + ", the file says " + e.crc32() + " (damaged or edited)");
            }
            if (bits != 0 || haveLength) throw new IllegalArgumentException("data: ends inside extent " + extents);
            if (extents != e.count()) throw new IllegalArgumentException("count: " + e.count() + ", but data holds " + extents + " extents");
            if (covered != e.covered()) {
                throw new IllegalArgumentException("covered: " + e.covered() + ", but the extents end at " + covered);
            }
            return ExtentMap.adopt(e.size(), starts, status, extents, covered);
        }

        private void feed(byte[] b, int n) {
            for (int i = 0; i < n; i++) {
                int x = b[i];
                if (bits >= 63 || (bits == 56 && (x & 0xFF) > 0x7F)) {
                    throw new IllegalArgumentException("data: varint of extent " + extents + " is longer than 64 bits");
                }
                value |= (long) (x & 0x7F) << bits;
                bits += 7;
                if ((x & 0x80) != 0) continue;
                long v = value;
                value = 0;
                bits = 0;
                if (!haveLength) {
                    if (extents >= e.count()) throw new IllegalArgumentException("count: data holds more than " + e.count() + " extents");
                    if (v <= 0 || v > (e.covered() - covered) >>> e.shift()) {
                        throw new IllegalArgumentException("data: extent " + extents + " at " + covered + " has length " + v + "<<"
                            + e.shift() + ", which is empty or runs past covered (" + e.covered() + ")");
                    }
                    length = v << e.shift();
                    haveLength = true;
                } else {
                    if (v > 0xFFFFFFFFL) throw new IllegalArgumentException("data: status of extent " + extents + " is not 32 bits: " + (v - 1));
                    starts[extents] = covered;
                    status[extents] = (int) (v - 1);
                    covered += length;
                    haveLength = false;
                    extents++;
                }
            }
        }
    }
}
