package org.nbdscope.engine.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.source.SourceDetails;
import org.nbdscope.engine.source.WireStats;

/**
 * Exabyte sources over 32-bit requests (2^28 and more segments): the scan starts at once, keeps at most
 * its window of segments open, merges in order, and cancels with the rest unknown.
 */
class HugeScanTest {
    /** Just under 4 GiB, as a 32-bit NBD connection without a block size would cut it. */
    static final long SEGMENT = 0xffff_fe00L;

    /**
     * Every segment is one hole; every {@code holdEvery}-th request (the first included; 0 for none) waits
     * for {@link #release()}, all others answer inline, before {@code blockStatus} returns.
     */
    static final class GatedSource implements BlockSource {
        final long size;
        final int holdEvery;
        final AtomicInteger calls = new AtomicInteger();
        final ConcurrentLinkedQueue<CompletableFuture<ExtentBatch>> held = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Runnable> answers = new ConcurrentLinkedQueue<>();

        GatedSource(long size, int holdEvery) { this.size = size; this.holdEvery = holdEvery; }

        @Override public String name() { return "gated"; }
        @Override public long size() { return size; }
        @Override public boolean readOnly() { return true; }
        @Override public List<String> contexts() { return List.of("base:allocation"); }
        @Override public long maxStatusLength() { return SEGMENT; }
        @Override public int preferredInFlight() { return 8; }
        @Override public SourceDetails details() { return new SourceDetails(); }
        @Override public WireStats stats() { return WireStats.ZERO; }
        @Override public void close() {}

        @Override
        public CompletableFuture<ExtentBatch> blockStatus(String ctx, long offset, long length, boolean reqOne) {
            int n = calls.getAndIncrement();
            assertThat(offset % SEGMENT).as("segment start").isZero();
            assertThat(length).isLessThanOrEqualTo(SEGMENT);
            ExtentBatch b = ExtentBatch.single(offset, length, 3);
            if (holdEvery == 0 || n % holdEvery != 0) return CompletableFuture.completedFuture(b);
            CompletableFuture<ExtentBatch> f = new CompletableFuture<>();
            held.add(f);
            answers.add(() -> f.complete(b));
            return f;
        }

        /** Answers the oldest held request on this thread. */
        void release() { answers.poll().run(); }
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(longs = {1L << 60, Long.MAX_VALUE})
    void anExabyteScanStartsAtOnceKeepsItsWindowAndCancelsWithTheRestUnknown(long size) throws Exception {
        int inFlight = 8;
        int window = ExtentScanner.WINDOW_FACTOR * inFlight;
        GatedSource src = new GatedSource(size, window);
        AtomicInteger progress = new AtomicInteger();
        ExtentScanner h = (ExtentScanner) ExtentScanner.start(src, ScanOptions.defaults().withInFlight(inFlight),
            (b, e, r) -> progress.incrementAndGet());

        // the first request is held and every other one answered inline: the cursor stops at the window
        assertThat(src.calls.get()).isEqualTo(window);
        assertThat(h.open()).isEqualTo(window);
        assertThat(h.cursor()).isEqualTo(window * SEGMENT);
        assertThat(h.map().covered()).isZero();
        assertThat(h.result()).isNotDone();

        // the head answers: the whole window merges in order as one extent, and the next window opens
        src.release();
        assertThat(h.map().covered()).isEqualTo(window * SEGMENT);
        assertThat(h.map().count()).isEqualTo(1);
        assertThat(progress.get()).isPositive();
        assertThat(src.calls.get()).isEqualTo(2 * window);
        assertThat(h.open()).isEqualTo(window);

        h.cancel();
        ScanResult r = h.result().get(10, TimeUnit.SECONDS);
        assertThat(r.outcome()).isEqualTo(ScanResult.Outcome.CANCELLED);
        ExtentMap m = r.map();
        assertThat(m.complete()).isTrue();
        assertThat(m.size()).isEqualTo(size);
        // answers that arrived after the gap are kept, the gap and the rest are unknown
        assertThat(m.statusAt(0)).isEqualTo(3);
        assertThat(m.statusAt(window * SEGMENT)).isEqualTo(ExtentMap.UNKNOWN);
        assertThat(m.statusAt((window + 1) * SEGMENT)).isEqualTo(3);
        assertThat(m.statusAt(2 * window * SEGMENT)).isEqualTo(ExtentMap.UNKNOWN);
        assertThat(m.statusAt(size - 1)).isEqualTo(ExtentMap.UNKNOWN);
        assertThat(m.count()).isEqualTo(4);

        // a late answer after the cancel changes nothing and issues nothing
        long version = m.version();
        src.release();
        assertThat(m.version()).isEqualTo(version);
        assertThat(src.calls.get()).isEqualTo(2 * window);
    }

    @ParameterizedTest(name = "in flight {0}")
    @ValueSource(ints = {1, 3, 32})
    void segmentsAnsweredInlineNeverGrowTheStack(int inFlight) throws Exception {
        // 20,000 segments, every answer inline: a recursive pump would need a frame per segment
        long size = 20_000 * SEGMENT - 12345;
        GatedSource src = new GatedSource(size, 0);
        ScanResult r = ExtentScanner.start(src, ScanOptions.defaults().withInFlight(inFlight), null).result().get(60, TimeUnit.SECONDS);
        assertThat(r.complete()).isTrue();
        assertThat(r.map().count()).isEqualTo(1);
        assertThat(r.map().covered()).isEqualTo(size);
        assertThat(src.calls.get()).isEqualTo(20_000);
    }
}
