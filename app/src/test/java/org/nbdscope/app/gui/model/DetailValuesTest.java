package org.nbdscope.app.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DetailValuesTest {
    @Test
    void sizesReadInHumanUnitsWithTheExactCount() {
        assertThat(TargetModel.readable("Size", "1099511627776")).isEqualTo("1 TiB (1,099,511,627,776 bytes)");
        assertThat(TargetModel.readable("File size", "65536 bytes")).isEqualTo("64 KiB (65,536 bytes)");
    }

    @Test
    void otherValuesStayAsTheyAre() {
        assertThat(TargetModel.readable("Export name", "1234")).isEqualTo("1234");
        assertThat(TargetModel.readable("Size", "512")).isEqualTo("512");
        assertThat(TargetModel.readable("Transmission flags", "0x058f: has flags")).isEqualTo("0x058f: has flags");
        assertThat(TargetModel.readable("Size", "99999999999999999999")).isEqualTo("99999999999999999999");
    }
}
