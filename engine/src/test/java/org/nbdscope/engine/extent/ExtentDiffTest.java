package org.nbdscope.engine.extent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nbdscope.engine.extent.ExtentKind.DATA;
import static org.nbdscope.engine.extent.ExtentKind.HOLE;
import static org.nbdscope.engine.extent.ExtentKind.UNKNOWN;
import static org.nbdscope.engine.extent.ExtentKind.ZERO;

import java.util.Random;

import org.junit.jupiter.api.Test;

class ExtentDiffTest {
    static final int D = 0, Z = 2, H = 3;

    /** A map from (length, status) pairs. */
    static ExtentMap map(long size, long... pairs) {
        ExtentMap m = new ExtentMap(size);
        for (int i = 0; i < pairs.length; i += 2) m.append(m.covered(), pairs[i], (int) pairs[i + 1]);
        return m;
    }

    @Test
    void holesFilledAndPunchedAreRegionsWithTotals() {
        ExtentMap before = map(100, 10, D, 40, H, 50, D);
        ExtentMap after = map(100, 10, D, 10, H, 20, D, 10, H, 20, H, 10, Z, 20, D);
        ExtentDiff d = ExtentDiff.of(before, after);
        assertThat(d.count()).isEqualTo(3);
        assertThat(d.start(0)).isEqualTo(20);
        assertThat(d.length(0)).isEqualTo(20);
        assertThat(d.from(0)).isEqualTo(HOLE);
        assertThat(d.to(0)).isEqualTo(DATA);
        // 50..70 went data -> hole (two equal runs merged), 70..80 data -> zero
        assertThat(d.start(1)).isEqualTo(50);
        assertThat(d.length(1)).isEqualTo(20);
        assertThat(d.from(1)).isEqualTo(DATA);
        assertThat(d.to(1)).isEqualTo(HOLE);
        assertThat(d.start(2)).isEqualTo(70);
        assertThat(d.to(2)).isEqualTo(ZERO);
        assertThat(d.bytes(HOLE, DATA)).isEqualTo(20);
        assertThat(d.bytes(DATA, HOLE)).isEqualTo(20);
        assertThat(d.bytes(DATA, ZERO)).isEqualTo(10);
        assertThat(d.regions(DATA, HOLE)).isEqualTo(1);
        assertThat(d.changedBytes()).isEqualTo(50);
        assertThat(d.knownChangedBytes()).isEqualTo(50);
        assertThat(d.transitions()).extracting(ExtentDiff.Transition::label).containsExactly("data -> hole", "hole -> data", "data -> zero");   // equal bytes: kind order
        assertThat(d.indexOf(25)).isEqualTo(0);
        assertThat(d.indexOf(45)).isEqualTo(-1);
        assertThat(d.indexOf(79)).isEqualTo(2);
    }

    @Test
    void identicalScansHaveNoChanges() {
        ExtentMap a = map(1 << 20, 4096, D, (1 << 20) - 4096, H);
        assertThat(ExtentDiff.of(a, a).isEmpty()).isTrue();
        assertThat(ExtentDiff.of(a, map(1 << 20, 4096, D, (1 << 20) - 4096, 1)).isEmpty()).as("hole without the zero bit is still a hole").isTrue();
    }

    @Test
    void unscannedRangesCountAsUnknownAndApart() {
        ExtentMap full = map(100, 100, H);
        ExtentMap partial = map(100, 30, H, 20, D);   // 50..100 not scanned
        ExtentDiff d = ExtentDiff.of(full, partial);
        assertThat(d.bytes(HOLE, DATA)).isEqualTo(20);
        assertThat(d.bytes(HOLE, UNKNOWN)).isEqualTo(50);
        assertThat(d.knownChangedBytes()).isEqualTo(20);
        assertThat(d.changedBytes()).isEqualTo(70);
    }

    @Test
    void differentSizesAreRefused() {
        assertThatThrownBy(() -> ExtentDiff.of(map(100, 100, D), map(200, 200, D)))
            .hasMessageContaining("different sizes: 100 and 200");
    }

    @Test
    void rebinGivesTheChangedShareOfEachCell() {
        ExtentDiff d = ExtentDiff.of(map(100, 100, H), map(100, 25, H, 10, D, 65, H));
        float[] out = new float[4];
        d.rebin(0, 100, 4, out);
        assertThat(out).containsExactly(0f, 0.4f, 0f, 0f);
        d.rebin(25, 35, 2, out);
        assertThat(out[0]).isEqualTo(1f);
        assertThat(out[1]).isEqualTo(1f);
    }

    @Test
    void agreesWithAByteByByteComparison() {
        Random r = new Random(5);
        for (int round = 0; round < 20; round++) {
            long size = 2000;
            ExtentMap a = random(r, size), b = random(r, size);
            ExtentDiff d = ExtentDiff.of(a, b);
            long[][] expect = new long[4][4];
            for (long p = 0; p < size; p++) {
                ExtentKind x = ExtentKind.of(a.statusAt(p)), y = ExtentKind.of(b.statusAt(p));
                if (x != y) expect[x.ordinal()][y.ordinal()]++;
                int i = d.indexOf(p);
                assertThat(i >= 0).as("offset %d", p).isEqualTo(x != y);
                if (i >= 0) {
                    assertThat(d.from(i)).isEqualTo(x);
                    assertThat(d.to(i)).isEqualTo(y);
                }
            }
            for (ExtentKind x : ExtentKind.values()) {
                for (ExtentKind y : ExtentKind.values()) assertThat(d.bytes(x, y)).isEqualTo(expect[x.ordinal()][y.ordinal()]);
            }
            for (int i = 1; i < d.count(); i++) {
                boolean touching = d.start(i - 1) + d.length(i - 1) == d.start(i);
                assertThat(touching && d.from(i) == d.from(i - 1) && d.to(i) == d.to(i - 1)).as("merged").isFalse();
            }
        }
    }

    static ExtentMap random(Random r, long size) {
        ExtentMap m = new ExtentMap(size);
        long stop = r.nextBoolean() ? size : r.nextLong(size);
        while (m.covered() < stop) {
            long len = Math.min(stop - m.covered(), 1 + r.nextInt(200));
            m.append(m.covered(), len, r.nextInt(4));
        }
        return m;
    }
}
