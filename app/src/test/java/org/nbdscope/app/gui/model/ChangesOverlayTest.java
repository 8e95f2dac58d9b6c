package org.nbdscope.app.gui.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nbdscope.app.synthetic.SyntheticLayout;
import org.nbdscope.engine.extent.ExtentDiff;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;

/** The heat-map's change marks from the engine's diff: which cells get which mark, the fading, stepping through. */
class ChangesOverlayTest {
    static final long GiB = 1L << 30;

    /** 64 GiB in 1 GiB steps: the statuses given, one per GiB. */
    static ExtentMap map(int... status) {
        ExtentMap m = new ExtentMap(status.length * GiB);
        for (int i = 0; i < status.length; i++) m.append(i * GiB, GiB, status[i]);
        return m;
    }

    static int[] all(int status) {
        int[] s = new int[64];
        java.util.Arrays.fill(s, status);
        return s;
    }

    @Test
    void marksAreFoundPerCellWalkingForwardAndAgainAfterARewind() {
        ChangeMarks c = new ChangeMarks(new long[] {10, 30, 40}, new long[] {20, 40, 50},
            new int[] {ChangeMarks.TO_DATA, ChangeMarks.FROM_DATA, ChangeMarks.OTHER});
        c.rewind();
        assertThat(c.marksIn(0, 10)).isZero();
        assertThat(c.marksIn(10, 11)).isEqualTo(ChangeMarks.TO_DATA);
        assertThat(c.marksIn(20, 30)).isZero();
        assertThat(c.marksIn(35, 45)).isEqualTo(ChangeMarks.FROM_DATA | ChangeMarks.OTHER);
        assertThat(c.marksIn(50, 100)).isZero();
        assertThat(c.marksIn(15, 16)).as("going back searches again").isEqualTo(ChangeMarks.TO_DATA);
        assertThat(c.bytesIn(0, 100, ChangeMarks.TO_DATA)).isEqualTo(10);
        assertThat(c.bytesIn(35, 45, ChangeMarks.FROM_DATA | ChangeMarks.OTHER)).isEqualTo(10);
        assertThatThrownBy(() -> new ChangeMarks(new long[] {10, 15}, new long[] {20, 30}, new int[] {1, 1}))
            .hasMessageContaining("out of order");
    }

    @Test
    void theHeatMapMarksChangedCellsByDirectionAndFadesTheRest() {
        int[] before = all(SyntheticLayout.HOLE);
        int[] after = all(SyntheticLayout.HOLE);
        after[5] = SyntheticLayout.DATA;        // data appeared
        before[20] = SyntheticLayout.DATA;      // data went
        before[40] = SyntheticLayout.ZERO;      // allocated zero punched to a hole: another change
        ExtentMap a = map(before), b = map(after);
        HeatMapModel h = new HeatMapModel(b.size());
        h.resize(8 * 16, 8 * 4);                // 64 cells of 1 GiB
        h.setMap(b);
        Palette p = h.paletteProperty().get();
        int w = h.pixelWidth();
        int[] plain = h.pixels().clone();

        ChangesModel cm = new ChangesModel(r -> h.select(r.offset(), r.offset() + r.length()));
        cm.set(ExtentDiff.of(a, b), "scan of yesterday");
        h.setChanges(cm.marks());
        int[] px = h.pixels();
        // cell 5 (row 0, column 5): became data, a triangle in the top-left corner
        assertThat(px[(1) * w + 5 * 8 + 1]).isEqualTo(p.changed());
        assertThat(px[(5) * w + 5 * 8 + 5]).isEqualTo(p.data());
        // cell 20 (row 1, column 4): data went, a triangle in the bottom-right corner
        assertThat(px[(8 + 5) * w + 4 * 8 + 5]).isEqualTo(p.changed());
        assertThat(px[(8 + 1) * w + 4 * 8 + 1]).isEqualTo(p.hole());
        // cell 40 (row 2, column 8): zero to hole, a dot in the middle
        assertThat(px[(16 + 3) * w + 8 * 8 + 3]).isEqualTo(p.changed());
        assertThat(px[(16) * w + 8 * 8]).isEqualTo(p.hole());
        // an unchanged hole fades towards the background
        int faded = px[(24 + 3) * w + 3];
        assertThat(faded).isNotEqualTo(p.hole()).isEqualTo(HeatMapModel.fade(p.hole(), p.background()));
        assertThat(h.describe(5)).endsWith("changed since the saved scan: became data 1 GiB");
        assertThat(h.describe(40)).endsWith("changed since the saved scan: other 1 GiB");
        assertThat(h.describe(63)).endsWith("unchanged since the saved scan");
        // the overview strip marks changed columns
        h.resizeOverview(64);
        assertThat(h.overviewPixels()[5]).isEqualTo(p.changed());
        assertThat(h.overviewPixels()[6]).isNotEqualTo(p.changed());

        // the panel: regions in disk order, the engine's totals, stepping round
        assertThat(cm.rows()).extracting(ChangesModel.Region::change).containsExactly("hole → data", "data → hole", "zero → hole");
        assertThat(cm.summaryProperty().get()).startsWith("3 regions changed since the scan of yesterday:")
            .contains("hole → data 1 GiB (1)").contains("data → hole 1 GiB (1)").contains("zero → hole 1 GiB (1)");
        List<Long> visited = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            cm.next();
            visited.add(h.selectionFrom());
        }
        assertThat(visited).containsExactly(5 * GiB, 20 * GiB, 40 * GiB, 5 * GiB);
        cm.previous();
        assertThat(h.selectionFrom()).isEqualTo(40 * GiB);

        h.setChanges(null);
        h.select(-1, -1);
        assertThat(h.pixels()).isEqualTo(plain);
    }

    @Test
    void nothingChangedSaysSo() {
        ExtentMap a = map(all(SyntheticLayout.DATA));
        ChangesModel cm = new ChangesModel(r -> { });
        cm.set(ExtentDiff.of(a, map(all(SyntheticLayout.DATA))), "saved scan");
        assertThat(cm.rows()).isEmpty();
        assertThat(cm.availableProperty().get()).isTrue();
        assertThat(cm.summaryProperty().get()).isEqualTo("Nothing changed since the saved scan.");
        cm.next();
        assertThat(cm.currentProperty().get()).isEqualTo(-1);
        assertThat(ChangesModel.markOf(ExtentKind.UNKNOWN, ExtentKind.DATA)).isEqualTo(ChangeMarks.OTHER);
    }
}
