package org.nbdscope.engine.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.extent.ExtentDiff;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.proto.BlockStatusFlags;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ExportsTest {
    static final HeatMapColors C = HeatMapColors.light();

    /** 1 MiB: a quarter data, a quarter allocated zero, a quarter hole, the last quarter not scanned. */
    static ExtentMap quarters() {
        ExtentMap m = new ExtentMap(1 << 20);
        m.append(0, 1 << 18, 0);
        m.append(1 << 18, 1 << 18, BlockStatusFlags.STATE_ZERO);
        m.append(1 << 19, 1 << 18, BlockStatusFlags.STATE_HOLE | BlockStatusFlags.STATE_ZERO);
        return m;
    }

    @Test
    void pngDecodesToTheRasterPixelForPixel() throws Exception {
        HeatMapRaster.Raster r = HeatMapRaster.render(quarters(), 160, 40, HeatMapRaster.Layout.APP, C);
        PngReader png = PngReader.read(Png.encode(r));
        assertThat(png.width()).isEqualTo(160);
        assertThat(png.height()).isEqualTo(40);
        assertThat(png.argb()).isEqualTo(r.argb());
        // 20 x 5 cells of 8 pixels, row by row: row 0 and the first quarter of row 1 are data, ...
        assertThat(r.columns()).isEqualTo(20);
        assertThat(r.rows()).isEqualTo(5);
        assertThat(png.pixel(3, 3)).isEqualTo(C.data());
        assertThat(png.pixel(7, 3)).as("the gap").isEqualTo(C.background());
        assertThat(png.pixel(8 * 5 + 3, 8 + 3)).as("cell 25: zero").isEqualTo(C.zero());
        assertThat(png.pixel(8 * 12 + 3, 16 + 3)).as("cell 52: hole").isEqualTo(C.hole());
        assertThat(png.pixel(8 * 19 + 3, 32 + 3)).as("the last cell: not scanned").isEqualTo(C.unknown());
    }

    @Test
    void mixedCellsBlendBySquareRootShares() {
        float[] s = {0.25f, 0, 0.75f, 0};
        int mixed = C.mix(s, 0);
        double wd = 0.5, wh = Math.sqrt(0.75);
        int r = (int) Math.round((wd * ((C.data() >> 16) & 255) + wh * ((C.hole() >> 16) & 255)) / (wd + wh));
        assertThat((mixed >> 16) & 255).isEqualTo(r);
        ExtentMap m = new ExtentMap(400);
        m.append(0, 100, 0);
        m.append(100, 300, BlockStatusFlags.STATE_HOLE);
        HeatMapRaster.Raster one = HeatMapRaster.render(m, 0, 400, 1, 1, HeatMapRaster.Layout.DENSE, C, null);
        assertThat(one.pixel(0, 0)).isEqualTo(mixed);
    }

    @Test
    void changedCellsAreOutlined() {
        ExtentMap a = new ExtentMap(1 << 20), b = new ExtentMap(1 << 20);
        a.append(0, 1 << 20, BlockStatusFlags.STATE_HOLE);
        b.append(0, 1 << 19, BlockStatusFlags.STATE_HOLE);
        b.append(1 << 19, 4096, 0);
        b.append((1 << 19) + 4096, (1 << 19) - 4096, BlockStatusFlags.STATE_HOLE);
        ExtentDiff d = ExtentDiff.of(a, b);
        HeatMapRaster.Raster r = HeatMapRaster.render(b, 0, 1 << 20, 80, 80, HeatMapRaster.Layout.APP, C, d);
        // 10 x 10 cells of 10 KiB and a bit: cell 50 holds the change
        assertThat(r.pixel(0, 5 * 8)).isEqualTo(C.changed());
        assertThat(r.pixel(3, 5 * 8 + 3)).isNotEqualTo(C.changed()).isNotEqualTo(C.hole());
        assertThat(r.pixel(8, 5 * 8)).as("the next cell").isEqualTo(C.hole());
        assertThatThrownBy(() -> HeatMapRaster.render(b, 0, 1, 0, 10, HeatMapRaster.Layout.APP, C, null)).hasMessageContaining("image size");
    }

    @Test
    void csvListsEveryExtentAndTheUnscannedRest() {
        StringBuilder b = new StringBuilder();
        ExtentExports.csv(quarters(), BlockStatusFlags.BASE_ALLOCATION, b);
        assertThat(b.toString()).isEqualTo("""
            offset,length,type,description
            0,262144,0,data
            262144,262144,2,zero
            524288,262144,3,"hole,zero"
            786432,262144,-1,unknown
            """);
    }

    @Test
    void jsonHasNbdinfosShape() {
        StringBuilder b = new StringBuilder();
        ExtentExports.nbdinfoJson(quarters(), BlockStatusFlags.BASE_ALLOCATION, b);
        assertThat(b.toString()).isEqualTo("""
            [
            { "offset": 0, "length": 262144, "type": 0, "description": "data"},
            { "offset": 262144, "length": 262144, "type": 2, "description": "zero"},
            { "offset": 524288, "length": 262144, "type": 3, "description": "hole,zero"}
            ]
            """);
        JsonNode j = JsonMapper.builder().build().readTree(b.toString());
        assertThat(j.size()).isEqualTo(3);
        StringBuilder empty = new StringBuilder();
        ExtentExports.nbdinfoJson(new ExtentMap(10), BlockStatusFlags.BASE_ALLOCATION, empty);
        assertThat(empty.toString()).isEqualTo("[\n\n]\n");
    }

    @Test
    void htmlEscapesText() {
        assertThat(HtmlReport.esc("<script>alert('x')</script> & \"q\"\u0007"))
            .isEqualTo("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;&#xFFFD;");
    }

    /** The PNG embedded in an HTML report, decoded. */
    static PngReader embedded(String html) throws Exception {
        Matcher m = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        if (!m.find()) throw new AssertionError("no embedded PNG");
        return PngReader.read(Base64.getDecoder().decode(m.group(1)));
    }

    static int kindColor(ExtentKind k) { return C.color(k); }
}
