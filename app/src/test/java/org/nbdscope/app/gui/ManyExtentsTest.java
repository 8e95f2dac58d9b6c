package org.nbdscope.app.gui;

import static org.assertj.core.api.Assertions.assertThat;

import javafx.animation.AnimationTimer;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.nbdscope.app.gui.model.HeatMapModel;
import org.nbdscope.app.gui.model.TargetModel;
import org.nbdscope.app.gui.model.TargetOpener;
import org.nbdscope.app.synthetic.SyntheticDisk;
import org.nbdscope.app.synthetic.SyntheticLayout;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * A scan of one million extents through the whole window: the map, the table and the heat-map keep up,
 * and the FX thread keeps rendering frames throughout (answers of 20,000 extents every 5 ms, four in
 * flight). The longest gap between frames is printed: the figure belongs in the report, not in an
 * assertion.
 */
class ManyExtentsTest extends AppWindowTest {
    static final int EXTENTS = 1_000_000;
    static final SyntheticLayout STRIPES = SyntheticLayout.stripes(SyntheticLayout.TiB, EXTENTS);

    @Start
    void start(Stage stage) {
        startWindow(stage);
    }

    @Stop
    void stop() {
        stopWindow();
    }

    @Override
    TargetOpener opener() {
        return t -> t.equals("warm-up")
            ? new SyntheticDisk("warm-up", SyntheticLayout.stripes(1L << 30, 10_000), new SyntheticDisk.Behaviour(0, 1000, 4, -1))
            : new SyntheticDisk("million", STRIPES, new SyntheticDisk.Behaviour(5, 20_000, 4, -1));
    }

    @Test
    void aMillionExtentsScanWhileTheWindowKeepsDrawing() {
        // first a small target, so class loading and the first layout of a tab are not counted
        TargetModel warm = Fx.call(() -> model.open("warm-up"));
        Fx.waitFor("the warm-up", () -> warm.state() == TargetModel.State.COMPLETE);
        long[] lastPulse = {0}, longestGap = {0};
        int[] frames = {0};
        AnimationTimer pulses = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (lastPulse[0] != 0) longestGap[0] = Math.max(longestGap[0], now - lastPulse[0]);
                lastPulse[0] = now;
                frames[0]++;
            }
        };
        Fx.run(pulses::start);
        TargetModel t = Fx.call(() -> model.open("million"));
        Fx.waitFor("a million extents", () -> t.state() == TargetModel.State.COMPLETE);
        Fx.run(pulses::stop);
        System.out.printf("million extents: %d frames during the scan, longest gap between frames %.1f ms%n",
            frames[0], longestGap[0] / 1e6);
        assertThat(frames[0]).isGreaterThan(1);
        assertThat(Fx.call(() -> window.viewOf(t).extentTable().table().getItems().size())).isEqualTo(EXTENTS);
        Fx.run(() -> window.viewOf(t).extentTable().table().scrollTo(EXTENTS - 1));
        assertThat(Fx.call(() -> t.totalsProperty().get().extents(org.nbdscope.engine.extent.ExtentKind.DATA))).isEqualTo(EXTENTS / 2);
        // every cell holds many stripes: about half data, half hole, nothing unknown
        Fx.run(() -> {
            HeatMapModel h = t.heatMap();
            for (int c : new int[] {0, h.cells() / 2, h.cells() - 1}) {
                assertThat(h.share(c, org.nbdscope.engine.extent.ExtentKind.DATA)).isCloseTo(0.5f, org.assertj.core.data.Offset.offset(0.01f));
                assertThat(h.share(c, org.nbdscope.engine.extent.ExtentKind.UNKNOWN)).isZero();
            }
        });
        Fx.screenshot(stage.getScene(), "million-extents");
    }
}
