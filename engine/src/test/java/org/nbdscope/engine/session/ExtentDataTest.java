package org.nbdscope.engine.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.proto.BlockStatusFlags;

class ExtentDataTest {

    static ExtentMap roundTrip(ExtentMap m) {
        ExtentData d = ExtentData.of(m);
        ExtentMap back = ExtentData.decode(d.encoded()).toExtentMap();
        SessionRoundTripTest.assertSameMap(back, m);
        return back;
    }

    @Test
    void mapsOfEveryShapeSurvive() {
        roundTrip(new ExtentMap(0));
        roundTrip(new ExtentMap(1L << 40));   // nothing scanned yet
        ExtentMap one = new ExtentMap(12345);
        one.append(0, 12345, 0);
        roundTrip(one);
        ExtentMap odd = new ExtentMap(1000);
        odd.append(0, 1, 3);
        odd.append(1, 998, ExtentMap.UNKNOWN);
        odd.append(999, 1, 0xFFFFFFFE);       // any 32-bit status of other contexts
        assertThat(ExtentData.of(odd).encoded().shift()).isZero();
        roundTrip(odd);
        ExtentMap partial = new ExtentMap(1L << 62);
        partial.append(0, 1L << 40, BlockStatusFlags.STATE_HOLE | BlockStatusFlags.STATE_ZERO);
        partial.append(1L << 40, 4096, 0);
        ExtentData.Encoded e = ExtentData.of(partial).encoded();
        assertThat(e.shift()).isEqualTo(12);
        assertThat(e.covered()).isEqualTo((1L << 40) + 4096);
        roundTrip(partial);
        roundTrip(Sessions.map(1L << 34, 7));
    }

    @Test
    void mostExtentsTakeAboutTwoBytes() {
        ExtentMap m = Sessions.map(1L << 35, 3);
        ExtentData.Encoded e = ExtentData.of(m).encoded();
        assertThat(e.count()).isEqualTo(m.count());
        assertThat(e.rawBytes()).isLessThanOrEqualTo(3L * m.count());
        assertThat(e.data().length()).isLessThan((int) (4 * e.rawBytes() / 3 + 16));
    }

    /** A valid encoding to break. */
    static ExtentData.Encoded valid() {
        ExtentMap m = new ExtentMap(1 << 20);
        m.append(0, 4096, 0);
        m.append(4096, 8192, 3);
        m.append(12288, (1 << 20) - 12288, 0);
        return ExtentData.of(m).encoded();
    }

    static ExtentData.Encoded with(ExtentData.Encoded e, String field, Object v) {
        return new ExtentData.Encoded(
            field.equals("encoding") ? (String) v : e.encoding(),
            field.equals("size") ? (Long) v : e.size(),
            field.equals("covered") ? (Long) v : e.covered(),
            field.equals("count") ? (Integer) v : e.count(),
            field.equals("shift") ? (Integer) v : e.shift(),
            field.equals("rawBytes") ? (Long) v : e.rawBytes(),
            field.equals("crc32") ? (Long) v : e.crc32(),
            field.equals("data") ? (String) v : e.data());
    }

    static void rejects(ExtentData.Encoded e, String message) {
        assertThatThrownBy(() -> ExtentData.decode(e)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message);
    }

    @Test
    void everyFieldIsChecked() {
        ExtentData.Encoded e = valid();
        rejects(with(e, "encoding", "zstd"), "encoding: 'zstd' is not known");
        rejects(with(e, "size", -1L), "size: -1 is negative");
        rejects(with(e, "size", 4096L), "covered: 1048576 is outside 0..4096");
        rejects(with(e, "shift", 63), "shift: 63 is outside 0..62");
        rejects(with(e, "shift", 21), "covered: 1048576 is not a multiple");
        rejects(with(e, "count", -5), "count: -5 is outside");
        rejects(with(e, "count", Integer.MAX_VALUE), "count: 2147483647 is outside 0..67108864");
        rejects(with(e, "count", 300), "do not fit in 1048576");
        rejects(with(e, "count", 4), "rawBytes: " + e.rawBytes() + " does not fit 4 extents");
        rejects(with(e, "count", 2), "count: data holds more than 2 extents");
        rejects(with(e, "crc32", e.crc32() ^ 1), "crc32: the extents' checksum is");
        rejects(with(e, "crc32", -1L), "crc32: -1 is not a CRC-32");
        rejects(with(e, "data", "!!!"), "data: not base64");
        rejects(with(e, "data", null), "data: missing");
        String d = e.data();
        rejects(with(e, "data", d.substring(0, d.length() / 2 / 4 * 4)), "truncated");
        rejects(with(e, "data", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8})), "data: corrupt deflate stream");
        rejects(with(e, "covered", 1L << 19), "runs past covered");
        rejects(with(e, "rawBytes", e.rawBytes() + 1), "inflates to " + e.rawBytes() + " bytes, rawBytes says " + (e.rawBytes() + 1));
    }

    @Test
    void claimsLargerThanTheDataAreRefusedBeforeAllocating() {
        ExtentData.Encoded e = valid();
        // 50 million extents claimed, a few bytes of data: refused by arithmetic, no array of that size is made
        rejects(new ExtentData.Encoded(ExtentData.ENCODING, 1L << 50, 1L << 50, 50_000_000, 0, 150_000_000L, 0, e.data()),
            "rawBytes: 150000000 is more than");
    }

    @Test
    void aStreamOfEmptyExtentsIsRefusedAtTheFirst() {
        byte[] raw = new byte[4096];                    // zero lengths
        rejects(encoded(raw, 2048, 1 << 20), "has length 0");
    }

    @Test
    void trailingDataAfterTheDeflateStreamIsRefused() {
        ExtentData.Encoded e = valid();
        byte[] z = Base64.getDecoder().decode(e.data());
        byte[] more = java.util.Arrays.copyOf(z, z.length + 3);
        rejects(with(e, "data", Base64.getEncoder().encodeToString(more)), "bytes after the end of the deflate stream");
    }

    @Test
    void overlongVarintsAreRefused() {
        byte[] raw = new byte[20];
        java.util.Arrays.fill(raw, (byte) 0x80);
        rejects(encoded(raw, 2, Long.MAX_VALUE), "longer than 64 bits");
    }

    static ExtentData.Encoded encoded(byte[] raw, int count, long size) {
        CRC32 crc = new CRC32();
        crc.update(raw);
        Deflater d = new Deflater();
        d.setInput(raw);
        d.finish();
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) z.write(buf, 0, d.deflate(buf));
        d.end();
        return new ExtentData.Encoded(ExtentData.ENCODING, size, size, count, 0, raw.length, crc.getValue(),
            Base64.getEncoder().encodeToString(z.toByteArray()));
    }
}
