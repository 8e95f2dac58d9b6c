package org.nbdscope.app.synthetic;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.source.SourceDetails;
import org.nbdscope.engine.source.SourceException;
import org.nbdscope.engine.source.WireCounters;
import org.nbdscope.engine.source.WireStats;

/**
 * An in-process {@link BlockSource} over a {@link SyntheticLayout}: no server, no network. It answers block
 * status asynchronously after a fixed delay, in 32-bit sized requests with a capped number of descriptors,
 * the way a real server would, so the heat-map fills visibly. Tests only: a source that is slow, or fails at a
 * chosen offset, on demand (the app itself opens the built-in server's demo disk).
 */
public final class SyntheticDisk implements BlockSource {
    /** Largest 32-bit block-status length aligned to 4 KiB, as a 32-bit NBD client asks. */
    public static final long MAX_32BIT_STATUS = 0xFFFF_F000L;

    /** How the disk answers: delay per answer, descriptors per answer, parallelism, an injected failure. */
    public record Behaviour(long delayMillis, int maxDescriptors, int inFlight, long failAt) {
        public Behaviour {
            if (delayMillis < 0 || maxDescriptors < 1 || inFlight < 1) {
                throw new IllegalArgumentException("bad synthetic behaviour " + delayMillis + "ms/" + maxDescriptors + "/" + inFlight);
            }
        }

        /** Visible live fill: about a second for the whole demo. */
        public static Behaviour demo() { return new Behaviour(25, 2048, 8, -1); }

        public Behaviour withDelay(long ms) { return new Behaviour(ms, maxDescriptors, inFlight, failAt); }

        public Behaviour withInFlight(int n) { return new Behaviour(delayMillis, maxDescriptors, n, failAt); }

        /** The request covering {@code offset} fails with an I/O error. */
        public Behaviour failingAt(long offset) { return new Behaviour(delayMillis, maxDescriptors, inFlight, offset); }
    }

    private final String name;
    private final SyntheticLayout layout;
    private final Behaviour behaviour;
    private final WireCounters counters = new WireCounters();
    private final Executor later;
    private volatile boolean closed;

    public SyntheticDisk(String name, SyntheticLayout layout, Behaviour behaviour) {
        this.name = name;
        this.layout = layout;
        this.behaviour = behaviour;
        this.later = CompletableFuture.delayedExecutor(behaviour.delayMillis(), TimeUnit.MILLISECONDS);
    }

    /** The 1 TiB demo disk with a visible live fill. */
    public static SyntheticDisk demo() {
        return new SyntheticDisk("demo", SyntheticLayout.demo(), Behaviour.demo());
    }

    public SyntheticLayout layout() { return layout; }

    @Override public String name() { return name; }

    @Override public long size() { return layout.size(); }

    @Override public boolean readOnly() { return true; }

    @Override public List<String> contexts() { return List.of(BlockStatusFlags.BASE_ALLOCATION); }

    @Override public long maxStatusLength() { return MAX_32BIT_STATUS; }

    @Override public int preferredInFlight() { return behaviour.inFlight(); }

    @Override
    public CompletableFuture<ExtentBatch> blockStatus(String context, long offset, long length, boolean reqOne) {
        if (closed) return CompletableFuture.failedFuture(new SourceException(name + " is closed"));
        if (!BlockStatusFlags.BASE_ALLOCATION.equals(context)) {
            return CompletableFuture.failedFuture(new SourceException("meta context " + context
                + " is not offered by " + name + " (it offers " + BlockStatusFlags.BASE_ALLOCATION + ")"));
        }
        if (offset < 0 || length <= 0 || length > size() - offset) {
            return CompletableFuture.failedFuture(new SourceException("block status " + offset + "+" + length
                + " is outside the disk of " + size() + " bytes"));
        }
        counters.request(NbdCommand.BLOCK_STATUS);
        long end = offset + length;
        boolean fail = behaviour.failAt() >= offset && behaviour.failAt() < end;
        return CompletableFuture.supplyAsync(() -> {
            counters.roundTrip();
            if (fail) {
                counters.serverError();
                throw new SourceException("block status at offset " + offset + " failed: NBD_EIO (input/output error)");
            }
            return answer(offset, end, reqOne ? 1 : behaviour.maxDescriptors());
        }, later);
    }

    private ExtentBatch answer(long offset, long end, int max) {
        long[] lens = new long[max];
        long[] st = new long[max];
        int n = 0;
        int i = layout.indexOf(offset);
        long p = offset;
        while (p < end && n < max) {
            long e = Math.min(end, layout.end(i));
            lens[n] = e - p;
            st[n] = layout.status(i);
            n++;
            p = e;
            i++;
        }
        return new ExtentBatch(offset, lens, st, n);
    }

    @Override
    public SourceDetails details() {
        long[] t = layout.totals();
        return new SourceDetails()
            .add("Export", "Name", name)
            .add("Export", "Size", size() + " bytes")
            .add("Export", "Read-only", "yes")
            .add("Source", "Kind", "synthetic in-process disk (no server, no network)")
            .add("Source", "Layout", layout.extents() + " extents: " + t[0] + " bytes data, " + t[1]
                + " bytes allocated zero, " + t[2] + " bytes holes")
            .add("Block status", "Meta contexts", BlockStatusFlags.BASE_ALLOCATION)
            .add("Block status", "Largest request", MAX_32BIT_STATUS + " bytes (32-bit)")
            .add("Block status", "Descriptors per answer", behaviour.maxDescriptors())
            .add("Block status", "Answer delay", behaviour.delayMillis() + " ms")
            .add("Zero flag", "Zero flag (NBD_INFO_INIT_STATE)", "not sent");
    }

    @Override
    public WireStats stats() { return counters.snapshot(); }

    @Override
    public void close() { closed = true; }

    /** True once closed. */
    public boolean isClosed() { return closed; }
}
