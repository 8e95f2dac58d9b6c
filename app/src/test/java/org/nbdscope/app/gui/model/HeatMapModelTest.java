package org.nbdscope.app.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nbdscope.app.synthetic.SyntheticLayout;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;

class HeatMapModelTest {
    static final long GiB = 1L << 30;

    /** 64 GiB: data, zero, hole, data in four 16 GiB quarters; the last quarter scanned only halfway. */
    static ExtentMap quarters(boolean complete) {
        ExtentMap m = new ExtentMap(64 * GiB);
        m.append(0, 16 * GiB, SyntheticLayout.DATA);
        m.append(16 * GiB, 16 * GiB, SyntheticLayout.ZERO);
        m.append(32 * GiB, 16 * GiB, SyntheticLayout.HOLE);
        m.append(48 * GiB, complete ? 16 * GiB : 8 * GiB, SyntheticLayout.DATA);
        return m;
    }

    static HeatMapModel model(ExtentMap m) {
        HeatMapModel h = new HeatMapModel(m.size());
        h.resize(8 * 16, 8 * 4);  // 16 x 4 = 64 cells of 1 GiB
        h.setMap(m);
        return h;
    }

    @Test
    void cutsTheViewIntoCellsAndPaintsEachInItsKindsColour() {
        HeatMapModel h = model(quarters(false));
        Palette p = h.paletteProperty().get();
        assertThat(h.cells()).isEqualTo(64);
        assertThat(h.cellFrom(17)).isEqualTo(17 * GiB);
        assertThat(h.cellTo(17)).isEqualTo(18 * GiB);
        int[] px = h.pixels();
        int w = h.pixelWidth();
        // row r of the grid is quarter r; the last quarter's second half is not scanned
        assertThat(px[3 * w + 3]).isEqualTo(p.data());
        assertThat(px[(8 + 3) * w + 3]).isEqualTo(p.zero());
        assertThat(px[(16 + 3) * w + 3]).isEqualTo(p.hole());
        assertThat(px[(24 + 3) * w + 3]).isEqualTo(p.data());
        assertThat(px[(24 + 3) * w + 8 * 12 + 3]).isEqualTo(p.unknown());
        // the gap between cells is background
        assertThat(px[3 * w + 7]).isEqualTo(p.background());
    }

    @Test
    void followsTheMapAsItGrows() {
        ExtentMap m = new ExtentMap(64 * GiB);
        HeatMapModel h = model(m);
        long f0 = h.frameProperty().get();
        assertThat(h.share(0, ExtentKind.UNKNOWN)).isEqualTo(1f);
        m.append(0, 2 * GiB, SyntheticLayout.DATA);
        h.refresh();
        assertThat(h.frameProperty().get()).isGreaterThan(f0);
        assertThat(h.share(0, ExtentKind.DATA)).isEqualTo(1f);
        assertThat(h.share(2, ExtentKind.UNKNOWN)).isEqualTo(1f);
        long f1 = h.frameProperty().get();
        h.refresh();
        assertThat(h.frameProperty().get()).as("no redraw without new extents").isEqualTo(f1);
    }

    @Test
    void wheelZoomKeepsTheByteUnderTheMouseAndStopsAtOneBytePerCell() {
        HeatMapModel h = model(quarters(true));
        int cell = 16 * 2 + 5;  // row 2, column 5
        double x = 5 * 8 + 3, y = 2 * 8 + 3;
        long before = (h.cellFrom(cell) + h.cellTo(cell)) / 2;
        h.zoomAt(x, y, 4);
        assertThat(h.viewTo() - h.viewFrom()).isEqualTo(16 * GiB);
        assertThat(h.cellAt(x, y)).isEqualTo(cell);
        assertThat(before).isBetween(h.cellFrom(cell), h.cellTo(cell));
        for (int i = 0; i < 200; i++) h.zoomAt(x, y, HeatMapModel.ZOOM_STEP);
        assertThat(h.viewTo() - h.viewFrom()).isEqualTo(h.minSpan()).isEqualTo(64);
        assertThat(h.cellTo(cell) - h.cellFrom(cell)).isEqualTo(1);
        assertThat(h.describe(cell)).contains("(1 B)").contains("1 extent");
        h.fit();
        assertThat(h.viewFrom()).isZero();
        assertThat(h.viewTo()).isEqualTo(64 * GiB);
    }

    @Test
    void zoomOutStopsAtTheWholeDisk() {
        HeatMapModel h = model(quarters(true));
        h.zoomOut();
        assertThat(h.viewFrom()).isZero();
        assertThat(h.viewTo()).isEqualTo(64 * GiB);
    }

    @Test
    void dragPansByRowsAndCellsAndStaysInsideTheDisk() {
        HeatMapModel h = model(quarters(true));
        h.zoomAt(8 * 8, 2 * 8, 4);  // 16 GiB around the middle
        long span = h.viewTo() - h.viewFrom();
        long from = h.viewFrom();
        double bpc = (double) span / h.cells();
        h.beginPan();
        h.panDrag(0, -8);  // drag up one row: the view moves forward one row of cells
        assertThat(h.viewFrom()).isEqualTo(from + Math.round(16 * bpc));
        h.panDrag(-16, -8);  // plus two cells
        assertThat(h.viewFrom()).isEqualTo(from + Math.round(18 * bpc));
        assertThat(h.viewTo() - h.viewFrom()).isEqualTo(span);
        h.beginPan();
        h.panDrag(0, 1_000_000);
        assertThat(h.viewFrom()).isZero();
        h.beginPan();
        h.panDrag(0, -1_000_000);
        assertThat(h.viewTo()).isEqualTo(64 * GiB);
        assertThat(h.viewStartProperty().get()).isEqualTo((double) h.viewFrom() / h.size());
    }

    @Test
    void describesACellWithRangeSharesAndExtentCount() {
        HeatMapModel h = model(quarters(false));
        h.zoomAt(0, 0, 1);  // no change
        // a view of 32 cells over [15 GiB, 47 GiB): the first cell mixes data and zero halves
        h.show(15 * GiB + GiB / 2, 15 * GiB + GiB / 2 + 64 * (GiB / 2));
        assertThat(h.viewFrom()).isEqualTo(15 * GiB + GiB / 2);
        int c = 1;  // [16 GiB, 16.5 GiB)
        assertThat(h.describe(c)).startsWith("16 GiB – 16.5 GiB  (512 MiB)\n")
            .contains("bytes 17,179,869,184 – 17,716,740,096")
            .contains("allocated zero 100 %").contains("1 extent");
        assertThat(h.describe(0)).contains("data 100 %");
        long start = 32 * GiB - GiB / 16;
        h.show(start, start + 64 * (GiB / 8));  // cells of 128 MiB, cell 0 straddles zero|hole at 32 GiB
        assertThat(h.viewFrom()).isEqualTo(start);
        assertThat(h.describe(0)).contains("allocated zero 50 %").contains("hole 50 %").contains("2 extents");
        assertThat(h.extentsIn(0)).containsExactly(1, 2);
    }

    @Test
    void outlinesTheSelectedCells() {
        HeatMapModel h = model(quarters(true));
        Palette p = h.paletteProperty().get();
        h.select(16 * GiB, 17 * GiB);
        int w = h.pixelWidth();
        assertThat(h.pixels()[8 * w]).isEqualTo(p.selection());  // top-left corner of cell 16
        assertThat(h.pixels()[(8 + 3) * w + 3]).isEqualTo(p.zero());  // its inside keeps its colour
        assertThat(h.pixels()[(8 + 3) * w + 8 + 0]).isEqualTo(p.zero());  // cell 17 is not outlined
        h.select(-1, -1);
        assertThat(h.pixels()[8 * w]).isEqualTo(p.zero());
    }

    @Test
    void themeChangeRepaints() {
        HeatMapModel h = model(quarters(true));
        long f = h.frameProperty().get();
        h.paletteProperty().set(Theme.DARK.palette());
        assertThat(h.frameProperty().get()).isGreaterThan(f);
        assertThat(h.pixels()[3 * h.pixelWidth() + 3]).isEqualTo(Theme.DARK.palette().data());
    }

    @Test
    void overviewShowsTheWholeDisk() {
        HeatMapModel h = model(quarters(false));
        h.resizeOverview(64);
        Palette p = h.paletteProperty().get();
        int[] o = h.overviewPixels();
        assertThat(o[0]).isEqualTo(p.data());
        assertThat(o[20]).isEqualTo(p.zero());
        assertThat(o[40]).isEqualTo(p.hole());
        assertThat(o[63]).isEqualTo(p.unknown());
        assertThat(o[64 * (HeatMapModel.OVERVIEW_HEIGHT - 1) + 20]).isEqualTo(p.zero());
    }
}
