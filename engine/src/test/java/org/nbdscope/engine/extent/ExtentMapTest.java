package org.nbdscope.engine.extent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExtentMapTest {
    @Test
    void mergesAdjacentEqualExtentsAndLooksUpByOffset() {
        ExtentMap m = new ExtentMap(100);
        m.append(0, 10, 0);
        m.append(10, 5, 0);
        m.append(15, 35, 3);
        m.append(50, 50, 2);
        assertThat(m.count()).isEqualTo(3);
        assertThat(m.length(0)).isEqualTo(15);
        assertThat(m.indexOf(14)).isZero();
        assertThat(m.indexOf(15)).isEqualTo(1);
        assertThat(m.indexOf(99)).isEqualTo(2);
        assertThat(m.indexOf(100)).isEqualTo(-1);
        assertThat(m.statusAt(60)).isEqualTo(2);
        assertThat(m.complete()).isTrue();
        ExtentTotals t = m.totals();
        assertThat(t.bytes(ExtentKind.DATA)).isEqualTo(15);
        assertThat(t.bytes(ExtentKind.HOLE)).isEqualTo(35);
        assertThat(t.bytes(ExtentKind.ZERO)).isEqualTo(50);
        assertThat(t.bytes(ExtentKind.UNKNOWN)).isZero();
    }

    @Test
    void refusesGapsOverlapsEmptyAndOverrun() {
        ExtentMap m = new ExtentMap(100);
        m.append(0, 10, 0);
        assertThatThrownBy(() -> m.append(11, 5, 0)).hasMessageContaining("does not start at the end");
        assertThatThrownBy(() -> m.append(10, 0, 0)).hasMessageContaining("length 0");
        assertThatThrownBy(() -> m.append(10, 91, 0)).hasMessageContaining("runs past the size 100");
    }

    @Test
    void rebinGivesSharesAndUnknownPastTheScan() {
        ExtentMap m = new ExtentMap(400);
        m.append(0, 100, 0);
        m.append(100, 50, 3);
        m.append(150, 50, 2);
        float[] out = new float[16];
        m.rebin(0, 400, 4, out);
        assertThat(out[0]).isEqualTo(1f);                   // bin 0: all data
        assertThat(out[4 + 2]).isEqualTo(0.5f);             // bin 1: half hole
        assertThat(out[4 + 1]).isEqualTo(0.5f);             //        half zero
        assertThat(out[8 + 3]).isEqualTo(1f);               // bin 2: unknown
        assertThat(out[12 + 3]).isEqualTo(1f);              // bin 3: unknown
    }

    @Test
    void rebinOfASubRangeAndMoreBinsThanBytes() {
        ExtentMap m = new ExtentMap(10);
        m.append(0, 5, 0);
        m.append(5, 5, 3);
        float[] out = new float[4 * 20];
        m.rebin(4, 6, 2, out);
        assertThat(out[0]).isEqualTo(1f);
        assertThat(out[4 + 2]).isEqualTo(1f);
        m.rebin(0, 10, 20, out);
        for (int b = 0; b < 20; b++) {
            float sum = out[4 * b] + out[4 * b + 1] + out[4 * b + 2] + out[4 * b + 3];
            assertThat(sum).isGreaterThan(0.99f);
        }
    }

    @Test
    void compactArraysRoundTrip() {
        ExtentMap m = new ExtentMap(1L << 40);
        for (int i = 0; i < 1000; i++) m.append(i * 4096L, 4096, i % 2 == 0 ? 0 : 3);
        ExtentMap back = ExtentMap.of(m.size(), m.startsCopy(), m.statusCopy(), m.count(), m.covered());
        assertThat(back.count()).isEqualTo(1000);
        assertThat(back.covered()).isEqualTo(m.covered());
        assertThat(back.statusAt(4096)).isEqualTo(3);
        assertThat(m.bytesPerExtent()).isLessThanOrEqualTo(16 * 1.6);
        back.fillUnknown();
        assertThat(back.totals().bytes(ExtentKind.UNKNOWN)).isEqualTo((1L << 40) - 4096000);
    }
}
