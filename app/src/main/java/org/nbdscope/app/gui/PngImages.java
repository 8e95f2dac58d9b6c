package org.nbdscope.app.gui;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.PixelReader;

/** Writes images as PNG (8-bit RGB, no filter) without AWT, so screenshots work without java.desktop. */
final class PngImages {
    private PngImages() {}

    /** The pixels of an image as ARGB; call on the FX thread. */
    static int[] argb(Image img) {
        int w = (int) img.getWidth(), h = (int) img.getHeight();
        int[] px = new int[w * h];
        PixelReader r = img.getPixelReader();
        r.getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), px, 0, w);
        return px;
    }

    /** PNG bytes of ARGB pixels (alpha dropped). */
    static byte[] encode(int[] argb, int w, int h) {
        if (w <= 0 || h <= 0 || argb.length < w * h) throw new IllegalArgumentException("bad image " + w + "x" + h);
        ByteArrayOutputStream raw = new ByteArrayOutputStream(w * h * 3 / 4 + 1024);
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
            throw new IllegalStateException("deflating in memory failed", e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", raw.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    /** Writes a PNG file atomically (temporary file, then rename); creates the parent directory. */
    static void write(Path file, int[] argb, int w, int h) throws IOException {
        byte[] png = encode(argb, w, h);
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, png);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
