package org.nbdscope.app.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.report.HeatMapColors;
import org.nbdscope.engine.report.HeatMapRaster;

/** The exported heat-map (engine, no display) draws what the app's heat-map draws, cell for cell. */
class HeatMapExportTest {

    @Test
    void exportMatchesTheAppsPixels() {
        ExtentMap m = new ExtentMap(1L << 36);
        SplittableRandom r = new SplittableRandom(7);
        int[] kinds = {0, 2, 3};
        int k = 0;
        while (m.covered() < (3L << 34)) {   // the last quarter not scanned
            long len = Math.min((3L << 34) - m.covered(), (1 + r.nextLong(4096)) * 4096 * 16);
            k = (k + 1 + r.nextInt(2)) % 3;
            m.append(m.covered(), len, kinds[k]);
        }
        for (Theme theme : Theme.values()) {
            Palette p = theme.palette();
            HeatMapModel h = new HeatMapModel(m.size());
            h.paletteProperty().set(p);
            h.resize(8 * 40, 8 * 20);
            h.setMap(m);
            HeatMapRaster.Raster x = HeatMapRaster.render(m, 0, m.size(), h.pixelWidth(), h.pixelHeight(), HeatMapRaster.Layout.APP,
                p.heatMapColors(p.selection()), null);
            assertThat(x.columns() * x.rows()).isEqualTo(h.cells());
            int[] app = h.pixels(), exp = x.argb();
            assertThat(exp).hasSameSizeAs(app);
            for (int i = 0; i < app.length; i++) {
                // shares are summed in a different order (cumulative index against extent walk): at most 1 apart per channel
                for (int shift = 0; shift <= 16; shift += 8) {
                    int a = (app[i] >> shift) & 0xFF, b = (exp[i] >> shift) & 0xFF;
                    assertThat(Math.abs(a - b)).as("%s pixel %d channel %d", theme, i, shift).isLessThanOrEqualTo(1);
                }
            }
            assertThat(exp[3]).isEqualTo(app[3]);
            assertThat(HeatMapColors.web(p.data())).isEqualTo(Palette.web(p.data()));
        }
    }
}
