package org.nbdscope.engine.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.source.SourceDetails;
import org.nbdscope.engine.source.SourceException;
import org.nbdscope.engine.source.WireStats;

class ExtentScannerTest {

    /** Alternating 1 MiB data / 3 MiB hole pattern, answers after a random delay, at most {@code cap} extents. */
    static final class FakeSource implements BlockSource {
        final long size;
        final long maxLen;
        final int cap;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger inFlight = new AtomicInteger();
        volatile int maxSeen;
        volatile long failAt = -1;
        final Random rnd = new Random(7);

        FakeSource(long size, long maxLen, int cap) { this.size = size; this.maxLen = maxLen; this.cap = cap; }

        static int statusAt(long off) { return (off >> 20) % 4 == 0 ? 0 : 3; }

        @Override public String name() { return "fake"; }
        @Override public long size() { return size; }
        @Override public boolean readOnly() { return true; }
        @Override public List<String> contexts() { return List.of("base:allocation"); }
        @Override public long maxStatusLength() { return maxLen; }
        @Override public int preferredInFlight() { return 8; }
        @Override public SourceDetails details() { return new SourceDetails(); }
        @Override public WireStats stats() { return WireStats.ZERO; }
        @Override public void close() {}

        @Override
        public CompletableFuture<ExtentBatch> blockStatus(String ctx, long offset, long length, boolean reqOne) {
            calls.incrementAndGet();
            maxSeen = Math.max(maxSeen, inFlight.incrementAndGet());
            long[] lens = new long[cap];
            long[] st = new long[cap];
            int n = 0;
            long p = offset, end = offset + length;
            while (p < end && n < cap) {
                long next = Math.min(end, ((p >> 20) + 1) << 20);
                lens[n] = next - p;
                st[n] = statusAt(p);
                n++;
                p = next;
            }
            ExtentBatch b = new ExtentBatch(offset, lens, st, n);
            Executor later = CompletableFuture.delayedExecutor(rnd.nextInt(3), TimeUnit.MILLISECONDS);
            boolean fail = failAt >= offset && failAt < end;
            return CompletableFuture.supplyAsync(() -> {
                inFlight.decrementAndGet();
                if (fail) throw new SourceException("server said NBD_EIO");
                return b;
            }, later);
        }
    }

    @Test
    void scansInOrderWithManyRequestsInFlight() {
        FakeSource src = new FakeSource(1L << 30, 16L << 20, 1000);
        ScanResult r = ExtentScanner.scan(src, ScanOptions.defaults().withInFlight(16));
        assertThat(r.complete()).isTrue();
        ExtentMap m = r.map();
        assertThat(m.covered()).isEqualTo(1L << 30);
        for (long off = 0; off < m.size(); off += 1 << 20) assertThat(m.statusAt(off)).isEqualTo(FakeSource.statusAt(off));
        assertThat(src.calls.get()).isEqualTo(64);
        assertThat(src.maxSeen).isGreaterThan(1);
    }

    @Test
    void partialRepliesOfOneBigRequestAreSplitAcrossIdleSlots() {
        FakeSource src = new FakeSource(1L << 30, Long.MAX_VALUE, 10);
        ScanResult r = ExtentScanner.scan(src, ScanOptions.defaults().withInFlight(8));
        assertThat(r.complete()).isTrue();
        for (long off = 0; off < r.map().size(); off += 1 << 20) assertThat(r.map().statusAt(off)).isEqualTo(FakeSource.statusAt(off));
        assertThat(src.maxSeen).isGreaterThan(1);
    }

    @Test
    void aFailedRequestKeepsWhatIsKnownAndMarksTheRestUnknown() {
        FakeSource src = new FakeSource(1L << 30, 16L << 20, 1000);
        src.failAt = 512L << 20;
        ScanResult r = ExtentScanner.scan(src, ScanOptions.defaults().withInFlight(1));
        assertThat(r.outcome()).isEqualTo(ScanResult.Outcome.FAILED);
        assertThat(r.error()).contains("NBD_EIO");
        assertThat(r.map().complete()).isTrue();
        assertThat(r.map().statusAt(0)).isEqualTo(0);
        assertThat(r.map().statusAt(600L << 20)).isEqualTo(ExtentMap.UNKNOWN);
    }

    @Test
    void cancelKeepsThePrefix() throws Exception {
        FakeSource src = new FakeSource(1L << 40, 16L << 20, 1000);
        ScanHandle h = ExtentScanner.start(src, ScanOptions.defaults().withInFlight(2), ScanListener.NONE);
        while (h.map().covered() == 0) Thread.sleep(1);
        h.cancel();
        ScanResult r = h.result().get(5, TimeUnit.SECONDS);
        assertThat(r.outcome()).isEqualTo(ScanResult.Outcome.CANCELLED);
        assertThat(r.map().statusAt(0)).isZero();
        assertThat(r.map().statusAt((1L << 40) - 1)).isEqualTo(ExtentMap.UNKNOWN);
    }
}
