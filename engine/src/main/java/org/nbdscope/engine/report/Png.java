package org.nbdscope.engine.report;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Encodes ARGB pixels as a PNG (8-bit RGB, filter 0 on every line, alpha dropped) without AWT, so exports
 * and screenshots work without {@code java.desktop} and without a display.
 */
public final class Png {
    private Png() {}

    /** PNG bytes of {@code w} by {@code h} ARGB pixels, row by row. */
    public static byte[] encode(int[] argb, int w, int h) {
        if (w <= 0 || h <= 0 || (long) w * h > argb.length) throw new IllegalArgumentException("bad image " + w + "x" + h);
        ByteArrayOutputStream raw = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 64, (long) w * h * 3 / 4 + 1024));
        try (DeflaterOutputStream z = new DeflaterOutputStream(raw, new Deflater(6))) {
            byte[] line = new byte[1 + 3 * w];
            for (int y = 0; y < h; y++) {
                line[0] = 0;
                for (int x = 0; x < w; x++) {
                    int p = argb[y * w + x];
                    line[1 + 3 * x] = (byte) (p >> 16);
                    line[2 + 3 * x] = (byte) (p >> 8);
                    line[3 + 3 * x] = (byte) p;
                }
                z.write(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("deflating in memory failed", e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.size() + 64);
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", raw.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** PNG bytes of a raster. */
    public static byte[] encode(HeatMapRaster.Raster r) {
        return encode(r.argb(), r.width(), r.height());
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
