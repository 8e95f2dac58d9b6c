package org.nbdscope.app.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import javafx.collections.ListChangeListener;
import org.junit.jupiter.api.Test;
import org.nbdscope.app.synthetic.SyntheticLayout;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;

class ExtentRowsTest {
    /** Data, hole, zero repeating, 4 KiB each. */
    static ExtentMap map(int n) {
        ExtentMap m = new ExtentMap(1L << 40);
        int[] st = {SyntheticLayout.DATA, SyntheticLayout.HOLE, SyntheticLayout.ZERO};
        for (int i = 0; i < n; i++) m.append(i * 4096L, 4096, st[i % 3]);
        return m;
    }

    @Test
    void rowsAreMadeOnDemandFromTheMap() {
        ExtentRows rows = new ExtentRows(map(1_000_000), null);
        assertThat(rows).hasSize(1_000_000);
        ExtentRow r = rows.get(999_997);
        assertThat(r.index()).isEqualTo(999_997);
        assertThat(r.offset()).isEqualTo(999_997 * 4096L);
        assertThat(r.length()).isEqualTo(4096);
        assertThat(r.kind()).isEqualTo(ExtentKind.HOLE);
        assertThat(r.description()).isEqualTo("hole,zero");
    }

    @Test
    void filterKeepsOneKindInOrder() {
        ExtentRows rows = new ExtentRows(map(30), ExtentKind.ZERO);
        assertThat(rows).hasSize(10).allMatch(r -> r.kind() == ExtentKind.ZERO);
        assertThat(rows.get(3).index()).isEqualTo(11);
        assertThat(rows.rowOf(11)).isEqualTo(3);
        assertThat(rows.rowOf(12)).isEqualTo(-1);
        assertThat(rows.rowAtOrAfter(12)).isEqualTo(4);
        assertThat(rows.rowAtOrAfter(30)).isEqualTo(-1);
    }

    @Test
    void syncAnnouncesNewRowsAndTheLastRowGrowing() {
        ExtentMap m = map(4);  // ..., data at 12 KiB
        ExtentRows rows = new ExtentRows(m, null);
        List<String> events = new ArrayList<>();
        rows.addListener((ListChangeListener<ExtentRow>) c -> {
            while (c.next()) {
                if (c.wasUpdated()) events.add("update " + c.getFrom());
                else if (c.wasAdded()) events.add("add " + c.getFrom() + ".." + c.getTo());
            }
        });
        m.append(16384, 4096, SyntheticLayout.DATA);  // merges into the last extent
        m.append(20480, 4096, SyntheticLayout.HOLE);
        m.append(24576, 4096, SyntheticLayout.ZERO);
        rows.sync();
        assertThat(events).containsExactlyInAnyOrder("update 3", "add 4..6");
        assertThat(rows.get(3).length()).isEqualTo(8192);
        events.clear();
        rows.sync();
        assertThat(events).as("nothing new, nothing announced").isEmpty();
    }

    @Test
    void filteredRowsGrowWithTheScan() {
        ExtentMap m = map(6);
        ExtentRows rows = new ExtentRows(m, ExtentKind.DATA);
        assertThat(rows).hasSize(2);
        m.append(6 * 4096L, 4096, SyntheticLayout.DATA);
        rows.sync();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(2).index()).isEqualTo(6);
    }

    @Test
    void tableModelJumpsToTheExtentHoldingAnOffset() {
        ExtentTableModel t = new ExtentTableModel();
        t.setMap(map(30));
        assertThat(t.jumpTo("0x5000")).isEqualTo(0x5000);
        assertThat(t.selectionProperty().get()).isEqualTo(new ExtentTableModel.RowSelection(5, 5));
        assertThat(t.jumpErrorProperty().get()).isEmpty();
        assertThat(t.jumpTo("200K")).isEqualTo(-1);
        assertThat(t.jumpErrorProperty().get()).isEqualTo("offset 200 KiB is not scanned yet");
        assertThat(t.jumpTo("2T")).isEqualTo(-1);
        assertThat(t.jumpErrorProperty().get()).contains("past the end of the disk (1 TiB)");
        t.filterProperty().set(ExtentKind.HOLE);
        assertThat(t.summaryProperty().get()).isEqualTo("10 of 30 extents");
        t.jumpTo("0");  // extent 0 is data: the first hole after it is row 0
        assertThat(t.selectionProperty().get()).isEqualTo(new ExtentTableModel.RowSelection(0, 0));
        t.selectExtents(2, 9);  // holes among extents 2..9 are 4 and 7
        assertThat(t.selectionProperty().get()).isEqualTo(new ExtentTableModel.RowSelection(1, 2));
    }
}
