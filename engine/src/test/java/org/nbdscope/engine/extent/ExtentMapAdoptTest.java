package org.nbdscope.engine.extent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ExtentMapAdoptTest {
    @Test
    void adoptsCheckedArraysAndMergesEqualNeighbours() {
        ExtentMap m = ExtentMap.adopt(100, new long[] {0, 10, 50, 0}, new int[] {0, 3, 0, 0}, 3, 90);
        assertThat(m.count()).isEqualTo(3);
        assertThat(m.covered()).isEqualTo(90);
        assertThat(m.length(2)).isEqualTo(40);
        assertThat(m.statusAt(95)).isEqualTo(ExtentMap.UNKNOWN);
        m.append(90, 10, 0);   // still appendable: continues the last extent
        assertThat(m.count()).isEqualTo(3);
        assertThat(m.complete()).isTrue();
        ExtentMap merged = ExtentMap.adopt(100, new long[] {0, 10}, new int[] {3, 3}, 2, 100);
        assertThat(merged.count()).isEqualTo(1);
        assertThat(ExtentMap.adopt(0, new long[0], new int[0], 0, 0).count()).isZero();
    }

    @Test
    void refusesArraysThatAreNotAMap() {
        assertThatThrownBy(() -> ExtentMap.adopt(100, new long[] {5}, new int[] {0}, 1, 100)).hasMessageContaining("extent 0 at 5");
        assertThatThrownBy(() -> ExtentMap.adopt(100, new long[] {0, 20, 20}, new int[] {0, 1, 2}, 3, 100)).hasMessageContaining("extent 1 at 20");
        assertThatThrownBy(() -> ExtentMap.adopt(100, new long[] {0}, new int[] {0}, 1, 200)).hasMessageContaining("covered 200");
        assertThatThrownBy(() -> ExtentMap.adopt(100, new long[] {0}, new int[] {0}, 2, 100)).hasMessageContaining("exceeds");
        assertThatThrownBy(() -> ExtentMap.adopt(100, new long[] {0}, new int[] {0}, 0, 100)).hasMessageContaining("cannot cover");
    }
}
