package org.nbdscope.app.gui.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UnitsTest {
    @Test
    void formatsBytesInBinaryUnits() {
        assertThat(Units.bytes(0)).isEqualTo("0 B");
        assertThat(Units.bytes(1023)).isEqualTo("1023 B");
        assertThat(Units.bytes(1024)).isEqualTo("1 KiB");
        assertThat(Units.bytes(1L << 40)).isEqualTo("1 TiB");
        assertThat(Units.bytes(1536L << 20)).isEqualTo("1.5 GiB");
        assertThat(Units.bytes(412L << 30 | 1)).isEqualTo("412 GiB");
        assertThat(Units.bytes(Long.MAX_VALUE)).isEqualTo("8.0 EiB");
    }

    @Test
    void formatsElapsedAndShares() {
        assertThat(Units.elapsed(1_234_000_000L)).isEqualTo("0:01.2");
        assertThat(Units.elapsed(3_723_000_000_000L)).isEqualTo("1:02:03");
        assertThat(Units.percent(0)).isEqualTo("0 %");
        assertThat(Units.percent(0.0001)).isEqualTo("<0.1 %");
        assertThat(Units.percent(0.0625)).isEqualTo("6.3 %");
        assertThat(Units.percent(1)).isEqualTo("100 %");
        assertThat(Units.percent(0.99999)).isEqualTo(">99.9 %");
    }

    @Test
    void parsesOffsetsAsTyped() {
        assertThat(Units.parseOffset("4096")).isEqualTo(4096);
        assertThat(Units.parseOffset(" 0x1000 ")).isEqualTo(4096);
        assertThat(Units.parseOffset("1,048,576")).isEqualTo(1 << 20);
        assertThat(Units.parseOffset("256G")).isEqualTo(256L << 30);
        assertThat(Units.parseOffset("1.5 TiB")).isEqualTo(3L << 39);
        assertThat(Units.parseOffset("512 MiB")).isEqualTo(512L << 20);
        assertThat(Units.parseOffset("7e")).isEqualTo(7L << 60);
    }

    @Test
    void rejectsWhatIsNotAnOffsetWithAReason() {
        assertThatThrownBy(() -> Units.parseOffset("")).hasMessageContaining("type an offset");
        assertThatThrownBy(() -> Units.parseOffset("abc")).hasMessageContaining("does not start with a number");
        assertThatThrownBy(() -> Units.parseOffset("12 parsecs")).hasMessageContaining("unknown unit \"parsecs\"");
        assertThatThrownBy(() -> Units.parseOffset("9E")).hasMessageContaining("too large");
        assertThatThrownBy(() -> Units.parseOffset("0xZZ")).hasMessageContaining("not a number");
    }
}
