package org.nbdscope.app.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.extent.ExtentMap;

/** The heat-map's indexed rebin gives the shares {@link ExtentMap#rebin} gives, on maps of every shape. */
class RebinIndexTest {
    static final int[] STATUS = {0, 1, 2, 3, ExtentMap.UNKNOWN};

    static ExtentMap randomMap(SplittableRandom rnd, long size, int extents, boolean complete) {
        ExtentMap m = new ExtentMap(size);
        long pos = 0;
        for (int i = 0; i < extents && pos < size; i++) {
            long len = Math.min(size - pos, 1 + rnd.nextLong(Math.max(1, 2 * size / extents)));
            if (!complete && pos + len == size) break;
            m.append(pos, len, STATUS[rnd.nextInt(STATUS.length)]);
            pos += len;
        }
        if (complete && pos < size) m.append(pos, size - pos, 0);
        return m;
    }

    static void assertSameAsMap(ExtentMap m, RebinIndex idx, long from, long to, int bins) {
        float[] want = new float[4 * bins], got = new float[4 * bins];
        m.rebin(from, to, bins, want);
        idx.rebin(from, to, bins, got);
        for (int i = 0; i < 4 * bins; i++) {
            assertThat(got[i]).as("bin %d share %d of %d..%d", i / 4, i % 4, from, to).isCloseTo(want[i], org.assertj.core.data.Offset.offset(2e-5f));
        }
    }

    static void assertSameTotals(ExtentMap m, RebinIndex idx) {
        org.nbdscope.engine.extent.ExtentTotals want = m.totals();
        KindTotals got = idx.totals();
        for (org.nbdscope.engine.extent.ExtentKind k : org.nbdscope.engine.extent.ExtentKind.values()) {
            assertThat(got.bytes(k)).as("bytes " + k).isEqualTo(want.bytes(k));
            assertThat(got.extents(k)).as("extents " + k).isEqualTo(want.extents(k));
        }
    }

    @Test
    void matchesTheMapsRebinOnRandomMapsAndViews() {
        SplittableRandom rnd = new SplittableRandom(6);
        for (int round = 0; round < 60; round++) {
            long size = 1 + rnd.nextLong(1L << (10 + rnd.nextInt(40)));
            ExtentMap m = randomMap(rnd, size, 1 + rnd.nextInt(3000), rnd.nextBoolean());
            RebinIndex idx = new RebinIndex(m);
            idx.update();
            for (int v = 0; v < 8; v++) {
                long from = rnd.nextLong(size);
                long to = from + 1 + rnd.nextLong(size - from);
                int bins = 1 + rnd.nextInt(300);
                assertSameAsMap(m, idx, from, to, bins);
            }
            assertSameAsMap(m, idx, 0, size, 1 + rnd.nextInt(2000));
            assertSameTotals(m, idx);
        }
    }

    @Test
    void followsAGrowingMap() {
        ExtentMap m = new ExtentMap(1L << 30);
        RebinIndex idx = new RebinIndex(m);
        long pos = 0;
        int n = 0;
        while (pos < m.size()) {
            long len = Math.min(m.size() - pos, 4096L * (1 + n % 7));
            m.append(pos, len, STATUS[n % 4]);
            pos += len;
            n++;
            if (n % 997 == 0) {
                idx.update();
                assertSameAsMap(m, idx, 0, m.size(), 777);
                assertSameAsMap(m, idx, pos / 2, pos + 12345, 64);
                assertSameTotals(m, idx);
            }
        }
        idx.update();
        assertSameAsMap(m, idx, 0, m.size(), 2000);
    }

    @Test
    void handlesBinsNarrowerThanAByte() {
        ExtentMap m = randomMap(new SplittableRandom(1), 100, 40, true);
        RebinIndex idx = new RebinIndex(m);
        idx.update();
        assertSameAsMap(m, idx, 10, 20, 64);
        assertSameAsMap(m, idx, 0, 100, 100);
    }
}
