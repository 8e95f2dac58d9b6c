package org.nbdscope.engine.demo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes of the demo disk, generated on demand: data extents hold deterministic pseudo-random bytes
 * (one SplitMix64 word per 8 bytes of offset), "quiet" data ranges hold zeroes (a FAT, a swap page),
 * and small structures (MBR, GPT, superblocks) are laid over both. Nothing but the structures is stored.
 */
final class DemoContent {
    private final long seed;
    private final TreeMap<Long, byte[]> overlays = new TreeMap<>();
    private final TreeMap<Long, Long> quiet = new TreeMap<>();
    private int longestOverlay;

    DemoContent(long seed) { this.seed = seed; }

    void overlay(long offset, byte[] bytes) {
        overlays.put(offset, bytes);
        longestOverlay = Math.max(longestOverlay, bytes.length);
    }

    void quiet(long offset, long length) { quiet.put(offset, offset + length); }

    /** Bytes held in memory for the structures. */
    long overlayBytes() {
        return overlays.values().stream().mapToLong(b -> b.length).sum();
    }

    /**
     * Fills {@code dst} (position to limit) with the bytes at {@code offset}, given the layout's data
     * extents; everything else reads as zero.
     */
    void read(DemoDisk disk, long offset, ByteBuffer dst) {
        int n = dst.remaining();
        ByteBuffer out = dst.slice().order(ByteOrder.LITTLE_ENDIAN);
        long end = offset + n;
        int i = disk.indexOf(offset);
        long pos = offset;
        while (pos < end) {
            long extEnd = Math.min(end, disk.extentEnd(i));
            if (disk.extentStatus(i) == 0) fillRandom(out, (int) (pos - offset), pos, extEnd);
            else zero(out, (int) (pos - offset), (int) (extEnd - pos));
            pos = extEnd;
            i++;
        }
        Map.Entry<Long, Long> q = quiet.floorEntry(offset);
        if (q != null && q.getValue() > offset) zeroClip(out, offset, end, q.getKey(), q.getValue());
        for (Map.Entry<Long, Long> e : quiet.subMap(offset, false, end, false).entrySet()) {
            zeroClip(out, offset, end, e.getKey(), e.getValue());
        }
        Long from = overlays.floorKey(offset - longestOverlay);
        for (Map.Entry<Long, byte[]> e : overlays.subMap(from == null ? Long.MIN_VALUE : from, true, end, false).entrySet()) {
            long s = e.getKey();
            byte[] b = e.getValue();
            long a = Math.max(s, offset);
            long z = Math.min(s + b.length, end);
            if (a < z) out.put((int) (a - offset), b, (int) (a - s), (int) (z - a));
        }
        dst.position(dst.position() + n);
    }

    private static void zeroClip(ByteBuffer out, long offset, long end, long qs, long qe) {
        long a = Math.max(qs, offset);
        long z = Math.min(qe, end);
        if (a < z) zero(out, (int) (a - offset), (int) (z - a));
    }

    private static void zero(ByteBuffer out, int at, int len) {
        int i = 0;
        for (; i + 8 <= len; i += 8) out.putLong(at + i, 0L);
        for (; i < len; i++) out.put(at + i, (byte) 0);
    }

    /** Writes the pseudo-random bytes of disk range {@code [from, to)} at {@code at} in {@code out}. */
    private void fillRandom(ByteBuffer out, int at, long from, long to) {
        long pos = from;
        while (pos < to && (pos & 7) != 0) {
            out.put(at++, randomByte(pos));
            pos++;
        }
        for (; pos + 8 <= to; pos += 8, at += 8) out.putLong(at, Mix.word(seed, pos >>> 3));
        for (; pos < to; pos++) out.put(at++, randomByte(pos));
    }

    private byte randomByte(long pos) {
        return (byte) (Mix.word(seed, pos >>> 3) >>> (8 * (pos & 7)));
    }
}
