package org.nbdscope.engine.image;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.image.qcow2.Qcow2Layer;
import org.nbdscope.engine.image.qcow2.Qcow2Snapshot;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.source.SourceDetails;
import org.nbdscope.engine.source.SourceException;
import org.nbdscope.engine.source.WireCounters;
import org.nbdscope.engine.source.WireStats;

/**
 * An image file (raw or qcow2, with its backing chain) as a {@link BlockSource}. Block status is the
 * {@code base:allocation} view qemu-nbd would serve for the same image: data is 0, unallocated or
 * zero clusters are {@code HOLE|ZERO}, data that reads as zero is {@code ZERO} (qcow2 metadata
 * preallocation, or any data with {@link ImageOptions#detectZeroes()}); ranges that would read from a
 * backing file that was not followed are {@link ExtentMap#UNKNOWN}.
 *
 * <p>Each {@link #blockStatus} call counts as one BLOCK_STATUS request and one round trip; bytes read
 * from the files count as bytes received. Answers are computed on a small pool of daemon threads.
 */
public final class ImageSource implements BlockSource {
    /** Extents per answer at most. */
    static final int MAX_EXTENTS = 1 << 16;
    private static final int IN_FLIGHT = 2;
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Path path;
    private final Layer top;
    private final ImageOptions options;
    private final WireCounters counters;
    private final List<ChainLink> chain;
    private final long size;
    private ExecutorService executor;
    private boolean closed;

    ImageSource(Path path, Layer top, ImageOptions options, WireCounters counters) {
        this.path = path;
        this.top = top;
        this.options = options;
        this.counters = counters;
        this.chain = buildChain(path, top);
        this.size = top.format().equals("raw") ? top.virtualSize() : top.length();
    }

    private static List<ChainLink> buildChain(Path path, Layer top) {
        List<ChainLink> links = new ArrayList<>();
        links.add(new ChainLink(0, path.toString(), top.path(), top.format(), top.virtualSize(), true));
        Layer l = top;
        int depth = 0;
        while (l.backingRef() != null) {
            depth++;
            Layer b = l.backing();
            if (b == null) {
                links.add(new ChainLink(depth, l.backingRef().name(), null, l.backingRef().format(), -1, false));
                break;
            }
            links.add(new ChainLink(depth, l.backingRef().name(), b.path(), b.format(), b.virtualSize(), true));
            l = b;
        }
        return List.copyOf(links);
    }

    /** The top layer's format: "raw" or "qcow2". */
    public String format() { return top.format(); }

    /** The image and its backing files, top first; a backing file not followed is the last link, not opened. */
    public List<ChainLink> chain() { return chain; }

    /** Internal snapshots of the top image (empty for raw). */
    public List<Qcow2Snapshot> snapshots() {
        return top instanceof Qcow2Layer q ? q.snapshots() : List.of();
    }

    public ImageOptions options() { return options; }

    /** The file as opened. */
    public Path path() { return path; }

    Layer top() { return top; }

    @Override
    public String name() { return path.toString(); }

    @Override
    public long size() { return size; }

    @Override
    public boolean readOnly() { return true; }

    @Override
    public List<String> contexts() { return List.of(BlockStatusFlags.BASE_ALLOCATION); }

    @Override
    public long maxStatusLength() { return Long.MAX_VALUE; }

    @Override
    public int preferredInFlight() { return IN_FLIGHT; }

    @Override
    public CompletableFuture<ExtentBatch> blockStatus(String context, long offset, long length, boolean reqOne) {
        if (!BlockStatusFlags.BASE_ALLOCATION.equals(context)) {
            return CompletableFuture.failedFuture(new SourceException(path.getFileName() + ": meta context '" + context
                + "' is not available for image files (only " + BlockStatusFlags.BASE_ALLOCATION + ")"));
        }
        if (offset < 0 || length <= 0 || offset >= size) {
            return CompletableFuture.failedFuture(new SourceException(path.getFileName() + ": block status for "
                + length + " bytes at offset " + offset + " is outside the image (" + size + " bytes)"));
        }
        try {
            return CompletableFuture.supplyAsync(() -> extents(offset, Math.min(length, size - offset), reqOne), executor());
        } catch (RejectedExecutionException | SourceException e) {
            return CompletableFuture.failedFuture(e instanceof SourceException s ? s : new SourceException(path.getFileName() + " is closed"));
        }
    }

    private synchronized ExecutorService executor() {
        if (closed) throw new SourceException(path.getFileName() + " is closed");
        if (executor == null) {
            executor = Executors.newFixedThreadPool(IN_FLIGHT, r -> {
                Thread t = new Thread(r, "nbdscope-image-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return executor;
    }

    /** The {@code base:allocation} status of one chain answer; {@link ExtentMap#UNKNOWN} when not known. */
    static int baseAllocation(int flags) {
        if ((flags & Layer.UNKNOWN) != 0) return ExtentMap.UNKNOWN;
        return ((flags & Layer.DATA) != 0 ? 0 : BlockStatusFlags.STATE_HOLE)
            | ((flags & Layer.ZERO) != 0 ? BlockStatusFlags.STATE_ZERO : 0);
    }

    /** Computes one answer synchronously: extents from {@code offset}, at most {@link #MAX_EXTENTS}. */
    ExtentBatch extents(long offset, long length, boolean reqOne) {
        counters.request(NbdCommand.BLOCK_STATUS);
        Batch b = new Batch();
        long end = offset + length;
        long pos = offset;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = options.detectZeroes() ? arena.allocate(ZeroScan.CHUNK, 8) : null;
            while (pos < end && b.count < MAX_EXTENTS && !(reqOne && b.count > 0)) {
                ChainWalker.Run r = ChainWalker.status(top, pos, end - pos);
                int st = baseAllocation(r.flags());
                if (buf != null && st == 0 && r.has(Layer.OFFSET_VALID) && r.file() != null) {
                    long n = Math.min(r.length(), ZeroScan.CHUNK);
                    if (reqOne) n = Math.min(n, ZeroScan.BLOCK - pos % ZeroScan.BLOCK);
                    ZeroScan.scan(r.file(), pos, r.hostOffset(), n, buf,
                        (len, zero) -> b.add(len, zero ? BlockStatusFlags.STATE_ZERO : 0));
                    pos += n;
                } else {
                    b.add(r.length(), st);
                    pos += r.length();
                }
            }
        }
        counters.roundTrip();
        return new ExtentBatch(offset, b.lengths, b.status, b.count);
    }

    /** Extents being gathered, adjacent equal statuses merged. */
    private static final class Batch {
        long[] lengths = new long[16];
        long[] status = new long[16];
        int count;

        void add(long len, int st) {
            if (count > 0 && status[count - 1] == st) {
                lengths[count - 1] += len;
                return;
            }
            if (count == lengths.length) {
                lengths = Arrays.copyOf(lengths, count * 2);
                status = Arrays.copyOf(status, count * 2);
            }
            lengths[count] = len;
            status[count] = st;
            count++;
        }
    }

    @Override
    public SourceDetails details() {
        SourceDetails d = new SourceDetails();
        top.describe(d);
        if (chain.size() > 1) {
            d.add("Image", "Backing chain", String.join(" -> ", chain.stream().map(l -> l.depth() == 0
                ? path.getFileName() + " (" + l.format() + ")" : l.describe()).toList()));
            for (ChainLink l : chain.subList(1, chain.size())) {
                if (l.opened()) d.add("Image", "Backing file " + l.depth(), l.path() + ", " + l.format() + ", " + l.virtualSize() + " bytes");
            }
            if (!chain.getLast().opened()) d.add("Image", "Backing files", "not followed (ranges that read from them are unknown)");
        }
        d.add("Image", "Detect zeroes", options.detectZeroes() ? "on (allocated data read and checked)" : "off");
        return d;
    }

    @Override
    public WireStats stats() { return counters.snapshot(); }

    @Override
    public void close() {
        ExecutorService e;
        synchronized (this) {
            if (closed) return;
            closed = true;
            e = executor;
        }
        if (e != null) e.shutdown();
        top.close();
    }

    @Override
    public String toString() { return format() + " image " + path; }
}
