package org.nbdscope.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NbdinfoFormatTest {

    private static String line(long off, long len, int type) {
        StringBuilder b = new StringBuilder();
        NbdinfoFormat.mapLine(b, off, len, type, NbdinfoFormat.describe("base:allocation", type), false);
        return b.toString();
    }

    @Test
    void mapLinesHaveNbdinfoColumns() {
        assertThat(line(0, 1073741824L, 3)).isEqualTo("         0  1073741824    3  hole,zero\n");
        assertThat(line(4194304, 1, 0)).isEqualTo("   4194304           1    0  data\n");
        // wider numbers widen the column, as printf does
        assertThat(line(1099511627776L - 4096, 4096, 2)).isEqualTo("1099511623680        4096    2  zero\n");
        // a status without a description has no description column
        assertThat(line(0, 512, 4)).isEqualTo("         0         512    4\n");
    }

    @Test
    void colouredLinesWrapTheLineInSgrCodes() {
        StringBuilder b = new StringBuilder();
        NbdinfoFormat.mapLine(b, 0, 512, 0, NbdinfoFormat.describe("base:allocation", 0), true);
        assertThat(b.toString()).isEqualTo("\033[1;30m         0         512    0  data\033[0m\n");
        b.setLength(0);
        NbdinfoFormat.mapLine(b, 0, 512, 3, NbdinfoFormat.describe("base:allocation", 3), true);
        assertThat(b.toString()).isEqualTo("         0         512    3  hole,zero\n");
    }

    @Test
    void jsonEntriesMatchNbdinfo() {
        StringBuilder b = new StringBuilder(NbdinfoFormat.JSON_OPEN);
        NbdinfoFormat.mapJson(b, true, 0, 32768, 0, NbdinfoFormat.describe("base:allocation", 0));
        NbdinfoFormat.mapJson(b, false, 32768, 1015808, 3, NbdinfoFormat.describe("base:allocation", 3));
        b.append(NbdinfoFormat.JSON_CLOSE);
        assertThat(b.toString()).isEqualTo("""
            [
            { "offset": 0, "length": 32768, "type": 0, "description": "data"},
            { "offset": 32768, "length": 1015808, "type": 3, "description": "hole,zero"}
            ]
            """);
    }

    @Test
    void totalsMatchNbdinfo() {
        StringBuilder b = new StringBuilder();
        NbdinfoFormat.totalsLine(b, 65537, 4194305, 0, NbdinfoFormat.describe("base:allocation", 0), false);
        NbdinfoFormat.totalsLine(b, 1073741824, 1073741824, 3, NbdinfoFormat.describe("base:allocation", 3), false);
        assertThat(b.toString()).isEqualTo("     65537   1.6%   0 data\n1073741824 100.0%   3 hole,zero\n");
        b.setLength(0);
        NbdinfoFormat.totalsJson(b, true, 65537, 4194305, 0, NbdinfoFormat.describe("base:allocation", 0));
        NbdinfoFormat.totalsJson(b, false, 32768, 4194305, 2, NbdinfoFormat.describe("base:allocation", 2));
        assertThat(b.toString()).isEqualTo("""
            { "size": 65537, "percent": 1.56252, "type": 0, "description": "data" },
            { "size": 32768, "percent": 0.78125, "type": 2, "description": "zero" }""");
    }

    @Test
    void generalFormatFollowsCPrintfG() {
        assertThat(NbdinfoFormat.general(12.012100219726562)).isEqualTo("12.0121");
        assertThat(NbdinfoFormat.general(100.0)).isEqualTo("100");
        assertThat(NbdinfoFormat.general(0.78125)).isEqualTo("0.78125");
        assertThat(NbdinfoFormat.general(97.65625)).isEqualTo("97.6562");   // half-even on the exact value
        assertThat(NbdinfoFormat.general(99.999996)).isEqualTo("100");
        assertThat(NbdinfoFormat.general(0.0001)).isEqualTo("0.0001");
        assertThat(NbdinfoFormat.general(100.0 * 512 / 1099511627776.0)).isEqualTo("4.65661e-08");
        assertThat(NbdinfoFormat.general(1234567.0)).isEqualTo("1.23457e+06");
        assertThat(NbdinfoFormat.general(0.0)).isEqualTo("0");
    }

    @Test
    void fixedFormatRoundsTheExactBinaryValueHalfEven() {
        assertThat(NbdinfoFormat.fixed1(0.25)).isEqualTo("0.2");
        assertThat(NbdinfoFormat.fixed1(0.35)).isEqualTo("0.3");  // 0.34999999999999997779...
        assertThat(NbdinfoFormat.fixed1(87.98789978027344)).isEqualTo("88.0");
        assertThat(NbdinfoFormat.fixed1(100.0)).isEqualTo("100.0");
    }

    @Test
    void descriptionsPerContext() {
        assertThat(NbdinfoFormat.describe("qemu:dirty-bitmap:b0", 1).text()).isEqualTo("dirty");
        assertThat(NbdinfoFormat.describe("qemu:allocation-depth", 0).text()).isEqualTo("absent");
        assertThat(NbdinfoFormat.describe("qemu:allocation-depth", 3).text()).isEqualTo("backing depth 3");
        assertThat(NbdinfoFormat.describe("other:ctx", 0).text()).isNull();
    }

    @Test
    void humanSizeAndJsonStrings() {
        assertThat(NbdinfoFormat.humanSize(1073741824L)).isEqualTo("1G");
        assertThat(NbdinfoFormat.humanSize(0)).isEqualTo("0");
        assertThat(NbdinfoFormat.humanSize(4194305)).isEqualTo("4194305");
        assertThat(NbdinfoFormat.humanSize(1L << 40)).isEqualTo("1T");
        StringBuilder b = new StringBuilder();
        NbdinfoFormat.jsonString(b, "a\"b\\c\n");
        assertThat(b.toString()).isEqualTo("\"a\\\"b\\\\c\\u000a\"");
    }
}
