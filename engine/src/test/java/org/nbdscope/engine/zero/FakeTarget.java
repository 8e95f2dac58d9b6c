package org.nbdscope.engine.zero;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdError;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.source.SourceDetails;
import org.nbdscope.engine.source.WireCounters;
import org.nbdscope.engine.source.WireStats;

/**
 * An in-memory NBD-like target whose capabilities tests switch on and off. Content is kept as runs of one of
 * four states; every command is logged, and it rejects anything a strict server would (32-bit overflow,
 * FAST_ZERO without the flag, writes to a read-only export, misalignment).
 */
final class FakeTarget implements ZeroTarget {
    /** Unallocated, reads as zero. */
    static final int HOLE = 3;
    /** Allocated, reads as zero, reported as zero. */
    static final int ZERO = 2;
    /** Allocated, non-zero bytes. */
    static final int DATA = 0;
    /** Allocated and reported as data, but holds zero bytes (a literal zero write on a server that does not detect it). */
    static final int DATA_ZEROS = 16;

    enum FastZero { OK, ENOTSUP }

    /** One logged command. */
    record Cmd(NbdCommand command, long offset, long length, int flags) {}

    final long size;
    final TreeMap<Long, Integer> runs = new TreeMap<>();
    final List<Cmd> log = Collections.synchronizedList(new ArrayList<>());
    final WireCounters counters = new WireCounters();
    final AtomicInteger inFlight = new AtomicInteger();
    volatile int maxInFlight;

    boolean wide = true;
    boolean blockStatus = true;
    /** Block status fails with EIO. */
    boolean failBlockStatus;
    boolean writeZeroes = true;
    boolean fastZero = true;
    FastZero fastZeroMode = FastZero.OK;
    boolean readOnly;
    InitState init = InitState.NOT_SENT;
    long minBlock = 1;
    long maxPayload;
    /** Non-fast WRITE_ZEROES longer than this fail with EOVERFLOW (0: no limit). */
    long zeroOversize;
    /** Descriptors per block-status reply at most. */
    int maxDescriptors = 64;
    /** Literal zero writes are detected and become holes. */
    boolean detectZeroWrites;
    TargetKind kind = TargetKind.NBD;
    String exportName = "disk";
    /** Answer on another thread after a short delay. */
    boolean async;
    volatile boolean modified;

    FakeTarget(long size) {
        this.size = size;
        runs.put(0L, HOLE);
    }

    /** Sets {@code [off, off + len)} to {@code state}. */
    synchronized FakeTarget set(long off, long len, int state) {
        long end = off + len;
        int endState = end < size ? stateAt(end) : HOLE;
        runs.subMap(off, true, end, true).clear();
        runs.put(off, state);
        if (end < size) runs.put(end, endState);
        normalize();
        return this;
    }

    private void normalize() {
        Integer prev = null;
        for (var it = runs.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (prev != null && prev.equals(e.getValue())) it.remove();
            else prev = e.getValue();
        }
    }

    synchronized int stateAt(long off) { return runs.floorEntry(off).getValue(); }

    synchronized long runEnd(long off) {
        Long k = runs.higherKey(off);
        return k == null ? size : k;
    }

    /** True when every byte reads as zero. */
    synchronized boolean readsAsZero() {
        for (int s : runs.values()) if (s == DATA) return false;
        return true;
    }

    List<Cmd> commands(NbdCommand c) {
        synchronized (log) {
            return log.stream().filter(x -> x.command() == c).toList();
        }
    }

    /** WRITE, WRITE_ZEROES and TRIM commands sent. */
    long writes() {
        return commands(NbdCommand.WRITE).size() + commands(NbdCommand.WRITE_ZEROES).size() + commands(NbdCommand.TRIM).size();
    }

    private <T> CompletableFuture<T> answer(java.util.function.Supplier<T> work) {
        maxInFlight = Math.max(maxInFlight, inFlight.incrementAndGet());
        if (!async) {
            try {
                return CompletableFuture.completedFuture(work.get());
            } catch (RuntimeException e) {
                return CompletableFuture.failedFuture(e);
            } finally {
                inFlight.decrementAndGet();
            }
        }
        Executor later = CompletableFuture.delayedExecutor(1, TimeUnit.MILLISECONDS);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return work.get();
            } finally {
                inFlight.decrementAndGet();
            }
        }, later);
    }

    private void sendCommand(NbdCommand c, long off, long len, int flags, long payload) {
        log.add(new Cmd(c, off, len, flags));
        counters.request(c);
        counters.roundTrip();
        counters.sent((wide ? 32 : 28) + payload);
    }

    private TargetCommandException error(NbdCommand c, long off, long len, NbdError e) {
        counters.serverError();
        counters.received(wide ? 32 : 16);
        return TargetCommandException.of(c, off, len, e.code());
    }

    private void checkRange(NbdCommand c, long off, long len) {
        if (len <= 0 || off < 0 || off + len > size) throw error(c, off, len, NbdError.EINVAL);
        if (!wide && len > MAX_32) throw error(c, off, len, NbdError.EINVAL);
        if (off % minBlock != 0 || (len % minBlock != 0 && off + len != size)) throw error(c, off, len, NbdError.EINVAL);
    }

    @Override public String name() { return "fake://" + exportName; }
    @Override public long size() { return size; }
    @Override public boolean readOnly() { return readOnly; }
    @Override public List<String> contexts() { return blockStatus ? List.of(BlockStatusFlags.BASE_ALLOCATION) : List.of(); }
    @Override public long maxStatusLength() { return wide ? Long.MAX_VALUE : ZeroTarget.max32(minBlock, 0); }
    @Override public int preferredInFlight() { return 8; }
    @Override public SourceDetails details() { return new SourceDetails(); }
    @Override public WireStats stats() { return counters.snapshot(); }
    @Override public void close() {}
    @Override public TargetKind kind() { return kind; }
    @Override public String confirmationName() { return exportName; }
    @Override public InitState initState() { return init; }
    @Override public String headerMode() { return wide ? "extended" : "structured"; }
    @Override public boolean wideLengths() { return wide; }
    @Override public boolean canBlockStatus() { return blockStatus; }
    @Override public boolean canWriteZeroes() { return writeZeroes; }
    @Override public boolean canFastZero() { return fastZero; }
    @Override public boolean canTrim() { return true; }
    @Override public long minimumBlockSize() { return minBlock; }
    @Override public long preferredBlockSize() { return 0; }
    @Override public long maximumPayload() { return maxPayload; }
    @Override public long maxZeroLength() { return wide ? Long.MAX_VALUE : ZeroTarget.max32(minBlock, 0); }
    @Override public boolean modifiedSinceOpen() { return modified; }

    @Override
    public String zeroRefusal() {
        return kind == TargetKind.QCOW2 ? "qcow2 images are not zeroed by nbdscope" : null;
    }

    @Override
    public CompletableFuture<ExtentBatch> blockStatus(String context, long offset, long length, boolean reqOne) {
        sendCommand(NbdCommand.BLOCK_STATUS, offset, length, reqOne ? NbdCommand.FLAG_REQ_ONE : 0, 0);
        return answer(() -> {
            if (!blockStatus) throw error(NbdCommand.BLOCK_STATUS, offset, length, NbdError.EINVAL);
            if (failBlockStatus) throw error(NbdCommand.BLOCK_STATUS, offset, length, NbdError.EIO);
            checkRange(NbdCommand.BLOCK_STATUS, offset, length);
            int max = reqOne ? 1 : maxDescriptors;
            long[] lens = new long[max];
            long[] st = new long[max];
            int n = 0;
            long p = offset;
            long end = offset + length;
            synchronized (this) {
                while (p < end && n < max) {
                    int s = stateAt(p);
                    long e = Math.min(end, runEnd(p));
                    if (!wide) e = Math.min(e, p + MAX_32);
                    lens[n] = e - p;
                    st[n] = s == DATA_ZEROS ? DATA : s;
                    n++;
                    p = e;
                }
            }
            counters.received(wide ? 32 + 8 + 16L * n : 20 + 4 + 8L * n);
            return new ExtentBatch(offset, lens, st, n);
        });
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long offset, long length, int flags) {
        sendCommand(NbdCommand.WRITE_ZEROES, offset, length, flags, 0);
        return answer(() -> {
            if (readOnly) throw error(NbdCommand.WRITE_ZEROES, offset, length, NbdError.EPERM);
            if (!writeZeroes) throw error(NbdCommand.WRITE_ZEROES, offset, length, NbdError.EINVAL);
            checkRange(NbdCommand.WRITE_ZEROES, offset, length);
            boolean fast = (flags & NbdCommand.FLAG_FAST_ZERO) != 0;
            if (fast && !fastZero) throw error(NbdCommand.WRITE_ZEROES, offset, length, NbdError.EINVAL);
            if (fast && fastZeroMode == FastZero.ENOTSUP) throw error(NbdCommand.WRITE_ZEROES, offset, length, NbdError.ENOTSUP);
            if (!fast && zeroOversize > 0 && length > zeroOversize) throw error(NbdCommand.WRITE_ZEROES, offset, length, NbdError.EOVERFLOW);
            modified = true;
            synchronized (this) {
                set(offset, length, (flags & NbdCommand.FLAG_NO_HOLE) != 0 ? ZERO : HOLE);
            }
            counters.received(wide ? 32 : 16);
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> writeZeroBytes(long offset, int length) {
        sendCommand(NbdCommand.WRITE, offset, length, 0, length);
        return answer(() -> {
            if (readOnly) throw error(NbdCommand.WRITE, offset, length, NbdError.EPERM);
            checkRange(NbdCommand.WRITE, offset, length);
            if (length > maxWriteLength()) throw error(NbdCommand.WRITE, offset, length, NbdError.EOVERFLOW);
            modified = true;
            synchronized (this) {
                set(offset, length, detectZeroWrites ? HOLE : DATA_ZEROS);
            }
            counters.received(wide ? 32 : 16);
            return null;
        });
    }

    @Override
    public CompletableFuture<ByteBuffer> read(long offset, int length) {
        sendCommand(NbdCommand.READ, offset, length, 0, 0);
        return answer(() -> {
            checkRange(NbdCommand.READ, offset, length);
            if (length > maxWriteLength()) throw error(NbdCommand.READ, offset, length, NbdError.EOVERFLOW);
            byte[] b = new byte[length];
            synchronized (this) {
                long p = offset;
                while (p < offset + length) {
                    long e = Math.min(offset + length, runEnd(p));
                    if (stateAt(p) == DATA) java.util.Arrays.fill(b, (int) (p - offset), (int) (e - offset), (byte) 0x55);
                    p = e;
                }
            }
            counters.received(length + (wide ? 32 : 16));
            return ByteBuffer.wrap(b);
        });
    }
}
