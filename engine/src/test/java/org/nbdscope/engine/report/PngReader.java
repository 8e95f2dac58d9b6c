package org.nbdscope.engine.report;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Inflater;

/** A test's own PNG reader for 8-bit RGB without interlace: checks the signature and every CRC, undoes the filters. */
record PngReader(int width, int height, int[] argb) {
    int pixel(int x, int y) { return argb[y * width + x]; }

    static PngReader read(byte[] png) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(png);
        byte[] sig = new byte[8];
        b.get(sig);
        if (!java.util.Arrays.equals(sig, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})) throw new AssertionError("not a PNG");
        int w = -1, h = -1;
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        boolean end = false;
        while (!end) {
            int len = b.getInt();
            byte[] type = new byte[4];
            b.get(type);
            byte[] data = new byte[len];
            b.get(data);
            CRC32 crc = new CRC32();
            crc.update(type);
            crc.update(data);
            if ((int) crc.getValue() != b.getInt()) throw new AssertionError("bad CRC in " + new String(type, StandardCharsets.US_ASCII));
            switch (new String(type, StandardCharsets.US_ASCII)) {
                case "IHDR" -> {
                    ByteBuffer h0 = ByteBuffer.wrap(data);
                    w = h0.getInt();
                    h = h0.getInt();
                    if (h0.get() != 8 || h0.get() != 2 || h0.get() != 0 || h0.get() != 0 || h0.get() != 0) throw new AssertionError("not 8-bit RGB");
                }
                case "IDAT" -> idat.writeBytes(data);
                case "IEND" -> end = true;
                default -> { }
            }
        }
        if (b.hasRemaining()) throw new AssertionError("bytes after IEND");
        Inflater inf = new Inflater();
        inf.setInput(idat.toByteArray());
        int stride = 1 + 3 * w;
        byte[] raw = new byte[stride * h];
        int n = 0;
        while (n < raw.length && !inf.finished()) n += inf.inflate(raw, n, raw.length - n);
        if (n != raw.length || !inf.finished()) throw new AssertionError("image data is " + n + " bytes, not " + raw.length);
        inf.end();
        int[] px = new int[w * h];
        byte[] prev = new byte[3 * w];
        for (int y = 0; y < h; y++) {
            int f = raw[y * stride];
            byte[] line = new byte[3 * w];
            for (int i = 0; i < 3 * w; i++) {
                int x = raw[y * stride + 1 + i] & 0xFF;
                int a = i >= 3 ? line[i - 3] & 0xFF : 0, up = prev[i] & 0xFF, c = i >= 3 ? prev[i - 3] & 0xFF : 0;
                int v = switch (f) {
                    case 0 -> x;
                    case 1 -> x + a;
                    case 2 -> x + up;
                    case 3 -> x + (a + up) / 2;
                    case 4 -> x + paeth(a, up, c);
                    default -> throw new AssertionError("filter " + f);
                };
                line[i] = (byte) v;
            }
            for (int x = 0; x < w; x++) {
                px[y * w + x] = 0xFF000000 | (line[3 * x] & 0xFF) << 16 | (line[3 * x + 1] & 0xFF) << 8 | (line[3 * x + 2] & 0xFF);
            }
            prev = line;
        }
        return new PngReader(w, h, px);
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c, pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
