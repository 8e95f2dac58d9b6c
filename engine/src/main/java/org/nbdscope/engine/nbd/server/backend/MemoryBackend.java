package org.nbdscope.engine.nbd.server.backend;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.NbdInfo;

/**
 * A sparse in-memory disk of up to 8 EiB virtual size ({@code memory:SIZE}). Memory is spent only on
 * written 64 KiB blocks that hold non-zero bytes. A block written with all zeroes, or zeroed with
 * {@code NO_HOLE}, is remembered as an "allocated zero" range (block status ZERO without HOLE) at no
 * cost; trimmed or zeroed blocks are dropped and read as holes. Zeroing is always cheap here, so
 * {@code FAST_ZERO} always succeeds.
 */
public final class MemoryBackend implements Backend {
    static final int BLOCK_SHIFT = 16;
    static final int BLOCK = 1 << BLOCK_SHIFT;
    private static final long MASK = BLOCK - 1;
    private static final byte[] ZEROES = new byte[BLOCK];

    private final long size;
    private final TreeMap<Long, byte[]> data = new TreeMap<>();
    private final RangeSet zeroBlocks = new RangeSet();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    public MemoryBackend(long size) {
        if (size <= 0 || size > ByteSize.MAX) {
            throw new IllegalArgumentException("memory disk size " + size + " is out of range 1.." + ByteSize.MAX);
        }
        this.size = size;
    }

    @Override public long size() { return size; }

    @Override public boolean writable() { return true; }

    @Override public BlockSizes blockSizes() { return BlockSizes.DEFAULT; }

    @Override public String description() { return "sparse memory disk, " + ByteSize.format(size); }

    /** Bytes held for data blocks (what the disk costs in memory). */
    public long allocatedBytes() {
        lock.readLock().lock();
        try {
            return (long) data.size() * BLOCK;
        } finally {
            lock.readLock().unlock();
        }
    }

    private long blockEnd(long b) {
        long end = (b + 1) << BLOCK_SHIFT;
        return end <= 0 || end > size ? size : end;
    }

    @Override
    public void read(long offset, ByteBuffer dst) {
        lock.readLock().lock();
        try {
            while (dst.hasRemaining()) {
                long b = offset >>> BLOCK_SHIFT;
                int within = (int) (offset & MASK);
                int n = Math.min(BLOCK - within, dst.remaining());
                byte[] arr = data.get(b);
                dst.put(arr != null ? arr : ZEROES, arr != null ? within : 0, n);
                offset += n;
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void write(long offset, ByteBuffer src) {
        lock.writeLock().lock();
        try {
            while (src.hasRemaining()) {
                long b = offset >>> BLOCK_SHIFT;
                int within = (int) (offset & MASK);
                int n = Math.min(BLOCK - within, src.remaining());
                byte[] arr = data.get(b);
                if (arr == null && allZero(src, n)) {
                    zeroBlocks.add(b, b + 1);
                    src.position(src.position() + n);
                } else {
                    if (arr == null) arr = new byte[BLOCK];
                    src.get(arr, within, n);
                    settle(b, arr, false);
                }
                offset += n;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Stores a modified block: as data, or as an allocated zero block (or a hole) when it is all zero. */
    private void settle(long b, byte[] arr, boolean holeIfZero) {
        if (allZero(arr)) {
            data.remove(b);
            if (holeIfZero) zeroBlocks.remove(b, b + 1);
            else zeroBlocks.add(b, b + 1);
        } else {
            data.put(b, arr);
            zeroBlocks.remove(b, b + 1);
        }
    }

    @Override
    public boolean zero(long offset, long length, boolean mayPunch, boolean fastOnly) {
        if (length <= 0) return true;
        lock.writeLock().lock();
        try {
            long end = offset + length;
            long pos = offset;
            long first = offset >>> BLOCK_SHIFT;
            if (offset != first << BLOCK_SHIFT || end < blockEnd(first)) {
                long to = Math.min(end, blockEnd(first));
                zeroPartial(first, offset, to, mayPunch);
                pos = to;
            }
            if (pos >= end) return true;
            long last = (end - 1) >>> BLOCK_SHIFT;
            boolean tailPartial = end < blockEnd(last);
            long fullFrom = pos >>> BLOCK_SHIFT;
            long fullTo = tailPartial ? last : last + 1;
            if (fullFrom < fullTo) {
                data.subMap(fullFrom, fullTo).clear();
                if (mayPunch) zeroBlocks.remove(fullFrom, fullTo);
                else zeroBlocks.add(fullFrom, fullTo);
            }
            if (tailPartial) zeroPartial(last, last << BLOCK_SHIFT, end, mayPunch);
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void zeroPartial(long b, long from, long to, boolean mayPunch) {
        byte[] arr = data.get(b);
        if (arr != null) {
            long base = b << BLOCK_SHIFT;
            Arrays.fill(arr, (int) (from - base), (int) (to - base), (byte) 0);
            settle(b, arr, mayPunch);
        } else if (!mayPunch && zeroBlocks.rangeAt(b) == null) {
            zeroBlocks.add(b, b + 1);
        }
    }

    @Override
    public void trim(long offset, long length) {
        if (length <= 0) return;
        lock.writeLock().lock();
        try {
            long end = offset + length;
            long fullFrom = (offset >>> BLOCK_SHIFT) + ((offset & MASK) != 0 ? 1 : 0);
            long lastBlock = (end - 1) >>> BLOCK_SHIFT;
            long fullTo = end == blockEnd(lastBlock) ? lastBlock + 1 : end >>> BLOCK_SHIFT;
            if (fullFrom < fullTo) {
                data.subMap(fullFrom, fullTo).clear();
                zeroBlocks.remove(fullFrom, fullTo);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override public void flush() {}

    @Override
    public void extents(long offset, ExtentSink sink) {
        lock.readLock().lock();
        try {
            long pos = offset;
            while (pos < size) {
                long b = pos >>> BLOCK_SHIFT;
                long runEnd;
                int status;
                Map.Entry<Long, Long> zr;
                if (data.containsKey(b)) {
                    status = 0;
                    long next = b;
                    Iterator<Long> it = data.tailMap(b, true).keySet().iterator();
                    while (it.hasNext() && it.next() == next) next++;
                    runEnd = blockEnd(next - 1);
                } else if ((zr = zeroBlocks.rangeAt(b)) != null) {
                    status = BlockStatusFlags.STATE_ZERO;
                    runEnd = blockEnd(zr.getValue() - 1);
                } else {
                    status = BlockStatusFlags.STATE_HOLE | BlockStatusFlags.STATE_ZERO;
                    Long d = data.ceilingKey(b);
                    long next = Math.min(d == null ? Long.MAX_VALUE : d, zeroBlocks.nextStart(b));
                    runEnd = next == Long.MAX_VALUE ? size : (next << BLOCK_SHIFT);
                    if (runEnd <= 0 || runEnd > size) runEnd = size;
                }
                if (!sink.extent(runEnd - pos, status)) return;
                pos = runEnd;
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public int initState() {
        lock.readLock().lock();
        try {
            if (!data.isEmpty()) return 0;
            return NbdInfo.INIT_ZERO | (zeroBlocks.isEmpty() ? NbdInfo.INIT_SPARSE : 0);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override public void close() {
        lock.writeLock().lock();
        try {
            data.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private static boolean allZero(byte[] a) {
        return Arrays.mismatch(a, ZEROES) < 0;
    }

    private static boolean allZero(ByteBuffer src, int n) {
        int p = src.position();
        for (int i = 0; i < n; i++) if (src.get(p + i) != 0) return false;
        return true;
    }
}
