package org.nbdscope.app.gui.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CompareBarTest {
    @Test
    void theLargerSideIsFullAndZeroIsNoBar() {
        assertThat(CompareBar.height(257, 257)).isEqualTo(100);
        assertThat(CompareBar.height(0, 257)).isZero();
        assertThat(CompareBar.height(0, 0)).isZero();
    }

    @Test
    void aLogScaleKeepsTheSmallSideVisible() {
        // one request against 257: a linear bar would be 0.4 %, the log bar is 1/8 of the larger
        assertThat(CompareBar.height(1, 257)).isCloseTo(100 * Math.log(2) / Math.log(258), within(1e-9));
        assertThat(CompareBar.height(1, 257)).isGreaterThan(12).isLessThan(13);
        assertThat(CompareBar.height(1, 3)).isEqualTo(50.0);
    }

    @Test
    void valuesFormatAsTheTableShowsThem() {
        assertThat(CompareModel.bytes(96)).isEqualTo("96 B");
        assertThat(CompareModel.bytes(1_048_672)).isEqualTo("1,048,672 B (1.0 MiB)");
        assertThat(CompareModel.millis(0.0421)).isEqualTo("0.042 ms");
        assertThat(CompareModel.millis(12.34)).isEqualTo("12.3 ms");
        assertThat(CompareModel.millis(4560)).isEqualTo("4.56 s");
    }
}
