package org.nbdscope.app.gui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import javafx.geometry.Point2D;
import javafx.geometry.VerticalDirection;
import javafx.scene.control.Button;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.image.PixelReader;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.controlsfx.control.PropertySheet;
import org.junit.jupiter.api.Test;
import org.nbdscope.app.gui.model.AppSettings;
import org.nbdscope.app.gui.model.ExtentRow;
import org.nbdscope.app.gui.model.HeatMapModel;
import org.nbdscope.app.gui.model.Palette;
import org.nbdscope.app.gui.model.TargetModel;
import org.nbdscope.app.gui.model.Theme;
import org.nbdscope.app.gui.model.Units;
import org.nbdscope.engine.extent.ExtentKind;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/** The desktop app, driven headless (Monocle) like a user would; every test saves screenshots. */
class MainWindowTest extends AppWindowTest {
    @Start
    void start(Stage stage) {
        startWindow(stage);
    }

    @Stop
    void stop() {
        stopWindow();
    }

    HeatMapView heatView(TargetModel t) {
        return Fx.call(() -> window.viewOf(t).heatMapView());
    }

    /** The pixel at the centre of a cell, read back from the heat-map's image. */
    int cellPixel(TargetModel t, int cell) {
        return Fx.call(() -> {
            HeatMapModel h = t.heatMap();
            PixelReader r = window.viewOf(t).heatMapView().image().getPixelReader();
            return r.getArgb((cell % h.columns()) * HeatMapModel.PITCH + 3, (cell / h.columns()) * HeatMapModel.PITCH + 3);
        });
    }

    /** A cell whose bytes are all of one status in the demo layout. */
    int uniformCell(TargetModel t, int status) {
        return Fx.call(() -> {
            HeatMapModel h = t.heatMap();
            for (int i = 0; i < h.cells(); i++) {
                if (DemoLayout.uniformStatus(h.cellFrom(i), h.cellTo(i)) == status) return i;
            }
            throw new AssertionError("no uniform cell of status " + status);
        });
    }

    Point2D screenPointOf(TargetModel t, int cell) {
        return Fx.call(() -> {
            HeatMapModel h = t.heatMap();
            return window.viewOf(t).heatMapView().localToScreen(
                (cell % h.columns()) * HeatMapModel.PITCH + 3.5, (cell / h.columns()) * HeatMapModel.PITCH + 3.5);
        });
    }

    /** Lets the notification bar finish sliding in before a screenshot (not an assertion on time). */
    static void settle() {
        org.testfx.util.WaitForAsyncUtils.sleep(800, java.util.concurrent.TimeUnit.MILLISECONDS);
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void openingTheDemoScansItAndTheHeatMapShowsTheKnownLayout() {
        TargetModel t = openComplete("demo");
        Palette p = Theme.LIGHT.palette();
        Map<ExtentKind, Integer> checked = new EnumMap<>(ExtentKind.class);
        List<String> wrong = new ArrayList<>();
        int[] mixedButUnknown = {0};
        Fx.run(() -> {
            HeatMapModel h = t.heatMap();
            PixelReader r = window.viewOf(t).heatMapView().image().getPixelReader();
            for (int i = 0; i < h.cells(); i++) {
                int px = r.getArgb((i % h.columns()) * HeatMapModel.PITCH + 3, (i / h.columns()) * HeatMapModel.PITCH + 3);
                int st = DemoLayout.uniformStatus(h.cellFrom(i), h.cellTo(i));
                if (st == -2) {
                    if (px == p.unknown()) mixedButUnknown[0]++;
                    continue;
                }
                ExtentKind k = ExtentKind.of(st);
                checked.merge(k, 1, Integer::sum);
                if (px != p.color(k)) wrong.add("cell " + i + " " + k + " " + Integer.toHexString(px));
            }
        });
        assertThat(wrong).isEmpty();
        assertThat(mixedButUnknown[0]).as("a complete scan leaves nothing unknown").isZero();
        assertThat(checked.getOrDefault(ExtentKind.DATA, 0)).isPositive();
        assertThat(checked.getOrDefault(ExtentKind.ZERO, 0)).isPositive();
        assertThat(checked.getOrDefault(ExtentKind.HOLE, 0)).isGreaterThan(2000);
        assertThat(checked).doesNotContainKey(ExtentKind.UNKNOWN);

        assertThat(Fx.call(() -> ((javafx.scene.control.Label) stage.getScene().lookup("#legend-data").lookupAll(".legend-label").iterator().next()).getText()))
            .startsWith("Data  " + Units.bytes(DemoLayout.bytes(ExtentKind.DATA)));
        assertThat(Fx.call(() -> window.viewOf(t).extentTable().table().getItems().size())).isEqualTo(DemoLayout.extents());
        assertThat(Fx.call(() -> t.statusTextProperty().get())).startsWith("Scan complete · 1 TiB of 1 TiB (100 %) · "
            + Units.grouped(DemoLayout.extents()) + " extents");
        PropertySheet sheet = Fx.call(() -> window.viewOf(t).details().sheet());
        assertThat(Fx.call(() -> sheet.getItems().stream().map(i -> i.getCategory() + "/" + i.getName() + "=" + i.getValue()).toList()))
            .contains("Export/Size=1 TiB (1,099,511,627,776 bytes)", "Export/Export name=demo", "Export/Read-only=yes",
                "Negotiated/Header mode=extended", "Negotiated/Zero flag (NBD_INFO_INIT_STATE)=not known to be zero (0x0000)",
                "Last scan/Requests BLOCK_STATUS=1",
                "Last scan/Outcome=complete", "Last scan/Extents=" + Units.grouped(DemoLayout.extents()));
        Fx.screenshot(stage.getScene(), "demo-complete");
        Fx.run(() -> window.viewOf(t).sideTabs().getSelectionModel().select(1));
        Fx.screenshot(stage.getScene(), "demo-details");
    }

    @Test
    void theHeatMapFillsLiveAndCancellingKeepsThePartialMap(FxRobot robot) {
        TargetModel t = open("slow");
        Fx.waitFor("a first answer", () -> t.totalsProperty().get() != null
            && t.totalsProperty().get().bytes(ExtentKind.UNKNOWN) < t.totalsProperty().get().size());
        assertThat(Fx.call(t::state)).isEqualTo(TargetModel.State.SCANNING);
        Palette p = Theme.LIGHT.palette();
        int last = Fx.call(() -> t.heatMap().cells() - 1);
        assertThat(cellPixel(t, last)).as("the end is not scanned yet").isEqualTo(p.unknown());
        assertThat(cellPixel(t, 0)).as("the start is").isNotEqualTo(p.unknown());
        Fx.screenshot(stage.getScene(), "scan-in-progress");

        robot.clickOn("#cancel-scan");
        Fx.waitFor("the scan to stop", () -> t.state() == TargetModel.State.CANCELLED);
        assertThat(Fx.call(() -> t.statusTextProperty().get())).startsWith("Scan cancelled · the rest is not scanned · ");
        assertThat(cellPixel(t, last)).isEqualTo(p.unknown());
        assertThat(cellPixel(t, 0)).isNotEqualTo(p.unknown());
        assertThat(Fx.call(() -> window.viewOf(t).extentTable().table().getItems().size())).isGreaterThan(1);
        assertThat(Fx.call(() -> robot.lookup("#cancel-scan").queryAs(Button.class).isDisabled())).isTrue();
        assertThat(Fx.call(() -> robot.lookup("#rescan").queryAs(Button.class).isDisabled())).isFalse();
        assertThat(Fx.call(() -> t.details().stream().anyMatch(r -> r.name().equals("Outcome") && r.value().equals("cancelled")))).isTrue();
        Fx.screenshot(stage.getScene(), "scan-cancelled");
    }

    @Test
    void wheelZoomsAtTheMouseDragPansAndShortcutsFit(FxRobot robot) {
        TargetModel t = openComplete("demo");
        long size = DemoLayout.size();
        int cell = Fx.call(() -> 6 * t.heatMap().columns() + 10);
        long anchor = Fx.call(() -> (t.heatMap().cellFrom(cell) + t.heatMap().cellTo(cell)) / 2);
        robot.moveTo(screenPointOf(t, cell));
        // TestFX's DOWN sends a positive deltaY: the wheel turned away from the user, which zooms in
        robot.scroll(3, VerticalDirection.DOWN);
        Fx.waitFor("zoomed", () -> t.heatMap().viewTo() - t.heatMap().viewFrom() < size);
        long span = Fx.call(() -> t.heatMap().viewTo() - t.heatMap().viewFrom());
        assertThat(span).isLessThanOrEqualTo((long) (size / 1.9));
        assertThat(Fx.call(() -> t.heatMap().cellFrom(cell - 1) <= anchor && anchor < t.heatMap().cellTo(cell + 1)))
            .as("the byte under the mouse stays under it").isTrue();
        Fx.screenshot(stage.getScene(), "zoomed-in");

        robot.scroll(1, VerticalDirection.UP);
        Fx.waitFor("zoomed out a notch", () -> t.heatMap().viewTo() - t.heatMap().viewFrom() > span);

        long from = Fx.call(() -> t.heatMap().viewFrom());
        long span2 = Fx.call(() -> t.heatMap().viewTo() - t.heatMap().viewFrom());
        robot.drag(screenPointOf(t, cell), MouseButton.PRIMARY).moveBy(0, -40).drop();
        Fx.waitFor("panned", () -> t.heatMap().viewFrom() > from);
        assertThat(Fx.call(() -> t.heatMap().viewTo() - t.heatMap().viewFrom())).isEqualTo(span2);
        assertThat(Fx.call(() -> t.heatMap().viewStartProperty().get())).isGreaterThan(0);
        Fx.screenshot(stage.getScene(), "panned");

        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT0).release(KeyCode.CONTROL);
        Fx.waitFor("whole disk", () -> t.heatMap().viewFrom() == 0 && t.heatMap().viewTo() == size);
        robot.press(KeyCode.CONTROL).type(KeyCode.EQUALS).release(KeyCode.CONTROL);
        Fx.waitFor("zoomed by the keyboard", () -> t.heatMap().viewTo() - t.heatMap().viewFrom() < size);

        // all the way down: the partition table's first bytes, one byte per cell
        Fx.run(() -> {
            t.heatMap().fit();
            for (int i = 0; i < 200; i++) t.heatMap().zoomAt(0, 0, HeatMapModel.ZOOM_STEP);
        });
        assertThat(Fx.call(() -> t.heatMap().viewTo() - t.heatMap().viewFrom())).isEqualTo(Fx.call(() -> (long) t.heatMap().cells()));
        assertThat(Fx.call(() -> t.heatMap().describe(0))).startsWith("0 B – 1 B  (1 B)").endsWith("1 extent");
    }

    @Test
    void hoveringACellShowsItsRangeSharesAndExtents(FxRobot robot) {
        TargetModel t = openComplete("demo");
        int zero = uniformCell(t, DemoLayout.ZERO);
        robot.moveTo(screenPointOf(t, zero));
        HeatMapView hv = heatView(t);
        Fx.waitFor("the tooltip", () -> hv.tooltip().isShowing());
        String text = Fx.call(() -> hv.tooltip().getText());
        long a = Fx.call(() -> t.heatMap().cellFrom(zero)), b = Fx.call(() -> t.heatMap().cellTo(zero));
        assertThat(text).isEqualTo(Units.bytes(a) + " – " + Units.bytes(b) + "  (" + Units.bytes(b - a) + ")\n"
            + "bytes " + Units.grouped(a) + " – " + Units.grouped(b) + "\n"
            + "data 0 % · allocated zero 100 % · hole 0 % · not scanned 0 %\n1 extent");
        Fx.screenshot(hv.tooltip().getScene(), "tooltip-zero");

        int mixed = Fx.call(() -> {  // a cell with the partition table and the hole after it
            for (int i = 0; ; i++) if (t.heatMap().extentsIn(i)[1] > t.heatMap().extentsIn(i)[0]) return i;
        });
        robot.moveTo(screenPointOf(t, mixed));
        Fx.waitFor("the tooltip to follow", () -> !hv.tooltip().getText().equals(text));
        assertThat(Fx.call(() -> hv.tooltip().getText())).contains(" extents").contains("data ").doesNotContain("data 0 %");
    }

    @Test
    void clickingACellSelectsItsExtentsInTheTable(FxRobot robot) {
        TargetModel t = openComplete("demo");
        int cell = Fx.call(() -> {
            for (int i = 0; ; i++) {
                int[] r = t.heatMap().extentsIn(i);
                if (r != null && r[1] - r[0] >= 3) return i;
            }
        });
        int[] extents = Fx.call(() -> t.heatMap().extentsIn(cell));
        robot.clickOn(screenPointOf(t, cell));
        TableView<ExtentRow> table = Fx.call(() -> window.viewOf(t).extentTable().table());
        Fx.waitFor("the selection", () -> table.getSelectionModel().getSelectedIndices().size() == extents[1] - extents[0] + 1);
        assertThat(Fx.call(() -> List.copyOf(table.getSelectionModel().getSelectedIndices())))
            .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(extents[0], extents[1]).boxed().toList());
        int selection = Theme.LIGHT.palette().selection();
        assertThat(Fx.call(() -> window.viewOf(t).heatMapView().image().getPixelReader().getArgb(
            (cell % t.heatMap().columns()) * HeatMapModel.PITCH, (cell / t.heatMap().columns()) * HeatMapModel.PITCH))).isEqualTo(selection);
        Fx.screenshot(stage.getScene(), "cell-selected");
    }

    @Test
    void jumpToAnOffsetAndFilterByKind(FxRobot robot) {
        TargetModel t = openComplete("demo");
        long off = DemoLayout.middleOfLargest(DemoLayout.ZERO);
        robot.clickOn("#jump-field").write(Long.toString(off)).type(KeyCode.ENTER);
        TableView<ExtentRow> table = Fx.call(() -> window.viewOf(t).extentTable().table());
        Fx.waitFor("the jump", () -> table.getSelectionModel().getSelectedItem() != null);
        ExtentRow r = Fx.call(() -> table.getSelectionModel().getSelectedItem());
        assertThat(r.offset()).isLessThanOrEqualTo(off);
        assertThat(r.offset() + r.length()).isGreaterThan(off);
        assertThat(r.kind()).isEqualTo(ExtentKind.ZERO);
        assertThat(Fx.call(() -> t.heatMap().viewFrom() <= off && off < t.heatMap().viewTo())).isTrue();

        robot.doubleClickOn("#jump-field").write("0x").type(KeyCode.ENTER);
        Fx.waitFor("the error", () -> !t.table().jumpErrorProperty().get().isEmpty());
        assertThat(Fx.call(() -> t.table().jumpErrorProperty().get())).isEqualTo("\"0x\" is not a number");

        Fx.run(() -> t.table().filterProperty().set(ExtentKind.HOLE));
        Fx.waitFor("the filter", () -> table.getItems().size() < DemoLayout.extents());
        assertThat(Fx.call(() -> table.getItems().stream().allMatch(x -> x.kind() == ExtentKind.HOLE))).isTrue();
        assertThat(Fx.call(() -> robot.lookup("#extent-summary").queryLabeled().getText())).endsWith(" of "
            + Units.grouped(DemoLayout.extents()) + " extents");
        Fx.screenshot(stage.getScene(), "filter-holes");
    }

    @Test
    void anUnreachableTargetShowsAReadableError(FxRobot robot) throws Exception {
        int port = TestTargets.closedPort();
        String target = "nbd://127.0.0.1:" + port + "/disk";
        TargetModel t = open(target);
        Fx.waitFor("the notification", () -> window.notificationPane().isShowing());
        String text = Fx.call(() -> window.notificationPane().getText());
        assertThat(text).isEqualTo("Cannot open " + target + ": cannot connect to 127.0.0.1:" + port + ": connection refused");
        assertThat(text).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(".java:");
        assertThat(Fx.call(t::state)).isEqualTo(TargetModel.State.FAILED);
        assertThat(Fx.call(() -> robot.lookup("#retry").tryQuery().isPresent())).isTrue();
        assertThat(Fx.call(() -> robot.lookup("#connection-state").queryLabeled().getText())).isEqualTo("Not connected");
        settle();
        Fx.screenshot(stage.getScene(), "unreachable-target");
    }

    @Test
    void aScanThatFailsKeepsWhatItHasAndSaysWhy() {
        TargetModel t = open("failing");
        Fx.waitFor("the failure", () -> t.state() == TargetModel.State.FAILED);
        Fx.waitFor("the notification", () -> window.notificationPane().isShowing());
        assertThat(Fx.call(() -> window.notificationPane().getText()))
            .startsWith("Scan of failing failed: block status at offset ").endsWith("failed: NBD_EIO (input/output error)");
        Palette p = Theme.LIGHT.palette();
        assertThat(cellPixel(t, 0)).isNotEqualTo(p.unknown());
        assertThat(cellPixel(t, Fx.call(() -> t.heatMap().cells() - 1))).isEqualTo(p.unknown());
        settle();
        Fx.screenshot(stage.getScene(), "scan-failed");
    }

    @Test
    void switchingTheThemeRecoloursTheHeatMap(FxRobot robot) throws Exception {
        TargetModel t = openComplete("demo");
        int data = uniformCell(t, DemoLayout.DATA);
        int hole = uniformCell(t, DemoLayout.HOLE);
        assertThat(cellPixel(t, data)).isEqualTo(Theme.LIGHT.palette().data());
        robot.clickOn("View").clickOn("Theme").clickOn("Dark");
        Fx.waitFor("dark colours", () -> model.themeProperty().get() == Theme.DARK);
        assertThat(cellPixel(t, data)).isEqualTo(Theme.DARK.palette().data());
        assertThat(cellPixel(t, hole)).isEqualTo(Theme.DARK.palette().hole());
        assertThat(Fx.call(() -> stage.getScene().getStylesheets())).anyMatch(s -> s.endsWith("/dark.css"));
        Fx.screenshot(stage.getScene(), "theme-dark");

        Fx.run(() -> model.themeProperty().set(Theme.HIGH_CONTRAST));
        // high contrast has larger text, so the heat-map's grid may change and is redrawn on a later frame:
        // find the cells again until the drawing has caught up with the new grid
        Fx.waitFor("high-contrast data and zero cells", () ->
            cellPixel(t, uniformCell(t, DemoLayout.DATA)) == Theme.HIGH_CONTRAST.palette().data()
                && cellPixel(t, uniformCell(t, DemoLayout.ZERO)) == Theme.HIGH_CONTRAST.palette().zero());
        assertThat(cellPixel(t, uniformCell(t, DemoLayout.HOLE))).isEqualTo(Theme.HIGH_CONTRAST.palette().hole());
        Fx.screenshot(stage.getScene(), "theme-high-contrast");
        Fx.waitFor("the theme saved", () -> {
            try {
                return Files.readString(settingsDir.resolve("app.properties")).contains("theme=high-contrast");
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    @Test
    void theWindowsBoundsAreRememberedWhenItCloses() throws Exception {
        Fx.run(() -> {
            stage.setX(40);
            stage.setY(30);
            stage.setWidth(1100);
            stage.setHeight(700);
            stage.fireEvent(new javafx.stage.WindowEvent(stage, javafx.stage.WindowEvent.WINDOW_HIDING));
        });
        model.saveSettings();
        AppSettings back = AppSettings.load(settingsDir);
        assertThat(back.windowBounds()).contains(new AppSettings.WindowBounds(40, 30, 1100, 700, false));
        assertThat(Fx.call(() -> model.windowBounds(null))).isEqualTo(new AppSettings.WindowBounds(40, 30, 1100, 700, false));
    }

    @Test
    void theOpenDialogOffersRecentTargetsAndOpensATab(FxRobot robot) {
        openComplete("demo");
        robot.press(KeyCode.CONTROL).type(KeyCode.O).release(KeyCode.CONTROL);
        Fx.waitFor("the dialog", () -> robot.lookup("#open-recent").tryQuery().isPresent());
        @SuppressWarnings("unchecked")
        ListView<String> recent = robot.lookup("#open-recent").queryAs(ListView.class);
        assertThat(Fx.call(() -> List.copyOf(recent.getItems()))).contains("demo");
        robot.clickOn("#open-target").write("failing");
        Window dialog = Fx.call(() -> recent.getScene().getWindow());
        Fx.screenshot(dialog.getScene(), "open-dialog");
        robot.type(KeyCode.ENTER);
        Fx.waitFor("a second tab", () -> model.targets().size() == 2);
        assertThat(Fx.call(() -> model.selectedProperty().get().target())).isEqualTo("failing");
        Fx.waitFor("the second scan to end", () -> model.targets().get(1).state() == TargetModel.State.FAILED);
        Fx.screenshot(stage.getScene(), "two-tabs");
    }
}
