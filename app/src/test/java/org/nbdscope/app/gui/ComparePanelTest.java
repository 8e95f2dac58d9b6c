package org.nbdscope.app.gui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;

import javafx.scene.control.Button;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.app.gui.model.CompareModel;
import org.nbdscope.app.gui.model.HeatMapModel;
import org.nbdscope.app.gui.model.TargetModel;
import org.nbdscope.app.gui.model.Theme;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.nbd.client.NbdConnection;
import org.nbdscope.engine.nbd.server.ConnectionRecord;
import org.nbdscope.engine.nbd.server.NbdServer;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.source.OpenOptions;
import org.nbdscope.engine.source.Sources;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * The compare panel against nbdscope's own server: a writable {@code memory:} export with data written first
 * (probe, the confirmation guard, plan only, make-zero, the rescan), a fresh one (the zero flag costs nothing),
 * a huge one without extended headers (a long probe shows its progress and cancels), and the read-only demo
 * (Make zero disabled, with the reason in its tooltip).
 */
class ComparePanelTest extends AppWindowTest {
    static final long GiB = 1L << 30;
    static final long TiB = 1L << 40;
    static final long MiB = 1L << 20;
    static final long[] WRITTEN = {0, 300 * GiB, TiB - MiB};

    @Start
    void start(Stage stage) {
        startWindow(stage);
    }

    @Stop
    void stop() {
        stopWindow();
    }

    @TempDir
    Path dir;

    MemoryBackend mem;

    /** A 1 TiB writable memory export "mem" with 1 MiB of data at the start, at 300 GiB and at the end; and "fresh". */
    String memoryExportWithData() throws Exception {
        mem = new MemoryBackend(TiB);
        server = NbdServer.builder()
            .export("mem", mem, "writable memory disk", false)
            .export("fresh", new MemoryBackend(TiB), "never written", false)
            .unixSocket(dir.resolve("nbd.sock")).start();
        byte[] data = new byte[(int) MiB];
        Arrays.fill(data, (byte) 0x5a);
        try (NbdConnection c = (NbdConnection) Sources.open(server.uri("mem"), OpenOptions.defaults())) {
            for (long off : WRITTEN) c.write(off, data, 0).join();
        }
        return server.uri("mem");
    }

    /** Write, write-zeroes and trim requests the server has seen on "mem", over all connections. */
    long writesSeen() {
        long n = 0;
        for (ConnectionRecord r : server.connections()) {
            if (!"mem".equals(r.export())) continue;
            n += r.requests(NbdCommand.WRITE) + r.requests(NbdCommand.WRITE_ZEROES) + r.requests(NbdCommand.TRIM);
        }
        return n;
    }

    CompareView panel(TargetModel t) {
        return Fx.call(() -> {
            TargetView v = window.viewOf(t);
            v.showCompare();
            return v.compare();
        });
    }

    /** The text of one cell of the compare table, read from the table the user sees. */
    String cell(CompareView v, String measure, boolean probeSide) {
        return Fx.call(() -> v.table().getItems().stream().filter(r -> r.measure().equals(measure)).findFirst()
            .map(r -> probeSide ? r.probe() : r.makeZero())
            .orElseThrow(() -> new AssertionError("no row " + measure + " in " + v.table().getItems())));
    }

    void waitIdle(TargetModel t) {
        Fx.waitFor("the zero job to end", () -> !t.compare().busy());
    }

    int cellOf(TargetModel t, long offset) {
        return Fx.call(() -> {
            HeatMapModel h = t.heatMap();
            for (int i = 0; i < h.cells(); i++) if (h.cellFrom(i) <= offset && offset < h.cellTo(i)) return i;
            throw new AssertionError("no cell holds " + offset);
        });
    }

    int cellPixel(TargetModel t, int cell) {
        return Fx.call(() -> {
            HeatMapModel h = t.heatMap();
            return window.viewOf(t).heatMapView().image().getPixelReader()
                .getArgb((cell % h.columns()) * HeatMapModel.PITCH + 3, (cell / h.columns()) * HeatMapModel.PITCH + 3);
        });
    }

    @Test
    void probeThenMakeZeroHoldsTheConfirmationGuardFillsTheResultsAndRescans(FxRobot robot) throws Exception {
        String uri = memoryExportWithData();
        long allocated = mem.allocatedBytes();
        assertThat(allocated).isEqualTo(3 * MiB);
        long writes = writesSeen();
        TargetModel t = openComplete(uri);
        assertThat(Fx.call(() -> t.totalsProperty().get().bytes(ExtentKind.DATA))).isEqualTo(3 * MiB);
        int dataCell = cellOf(t, 300 * GiB);
        assertThat(cellPixel(t, dataCell)).isNotEqualTo(Theme.LIGHT.palette().hole());
        CompareView v = panel(t);
        assertThat(Fx.call(() -> v.table().getItems().size())).isPositive();
        assertThat(Fx.call(() -> robot.lookup("#compare-verdict").queryLabeled().getText())).startsWith("Run the probe");

        // the probe: the server sent the zero flag without NBD_INIT_ZERO (it holds data), so one 64-bit request answers
        robot.clickOn("#probe-zero");
        waitIdle(t);
        assertThat(cell(v, "Method", true)).isEqualTo("BLOCK_STATUS_64");
        assertThat(cell(v, "Requests", true)).isEqualTo("1");
        assertThat(cell(v, "  BLOCK_STATUS", true)).isEqualTo("1");
        assertThat(cell(v, "Round trips", true)).isEqualTo("1");
        assertThat(cell(v, "Bytes sent", true)).isEqualTo("32 B");
        assertThat(cell(v, "Verified final state", true)).isEqualTo("not zero");
        assertThat(cell(v, "Method", false)).isEqualTo("—");
        assertThat(Fx.call(() -> t.compare().winnerProperty().get())).isEmpty();

        // the guard: a wrong name keeps the dialog's button disabled, Enter does nothing, and nothing is written
        assertThat(Fx.call(() -> t.compare().confirmationNameProperty().get())).isEqualTo("mem");
        robot.clickOn("#make-zero");
        Fx.waitFor("the confirmation dialog", () -> robot.lookup("#confirm-zero-name").tryQuery().isPresent());
        robot.clickOn("#confirm-zero-name").write("me");
        Button ok = robot.lookup("#confirm-zero-ok").queryAs(Button.class);
        assertThat(Fx.call(ok::isDisabled)).isTrue();
        robot.write("m");   // "mem" now: the only text that enables it
        assertThat(Fx.call(ok::isDisabled)).isFalse();
        robot.type(KeyCode.BACK_SPACE).write("x");
        assertThat(Fx.call(() -> robot.lookup("#confirm-zero-name").queryAs(TextField.class).getText())).isEqualTo("mex");
        assertThat(Fx.call(ok::isDisabled)).isTrue();
        robot.type(KeyCode.ENTER);
        Window dialog = Fx.call(() -> ok.getScene().getWindow());
        assertThat(Fx.call(dialog::isShowing)).as("Enter on a disabled button leaves the dialog open").isTrue();
        Fx.screenshot(dialog.getScene(), "compare-confirm-wrong-name");
        robot.type(KeyCode.ESCAPE);
        Fx.waitFor("the dialog to close", () -> !dialog.isShowing());
        assertThat(Fx.call(t.compare()::busy)).isFalse();
        // the view model checks the name again, whoever calls it
        assertThat(Fx.call(() -> t.compare().makeZero("MEM"))).isFalse();
        Fx.waitFor("the notification", () -> window.notificationPane().isShowing());
        assertThat(Fx.call(() -> window.notificationPane().getText()))
            .isEqualTo("Make zero not confirmed: the typed name 'MEM' is not 'mem'; nothing was written");
        assertThat(Fx.call(() -> t.compare().compareBoth("wrong"))).isFalse();
        assertThat(mem.allocatedBytes()).isEqualTo(allocated);
        assertThat(writesSeen()).isEqualTo(writes);
        robot.clickOn("#probe-zero");
        waitIdle(t);
        assertThat(cell(v, "Verified final state", true)).as("a probe still sees the data").isEqualTo("not zero");

        // plan only: the plan's figures, no dialog, nothing written
        robot.clickOn("#plan-only");
        assertThat(Fx.call(() -> t.compare().planOnlyProperty().get())).isTrue();
        robot.clickOn("#make-zero");
        waitIdle(t);
        assertThat(robot.lookup("#confirm-zero-name").tryQuery()).isEmpty();
        assertThat(Fx.call(() -> v.table().getColumns().get(2).getText())).isEqualTo("Make zero (plan)");
        assertThat(cell(v, "Method", false)).isEqualTo("plan: FAST_ZERO");
        assertThat(cell(v, "  WRITE_ZEROES", false)).isEqualTo("1");
        assertThat(cell(v, "Wall time", false)).isEqualTo("not timed (plan)");
        assertThat(cell(v, "Verified final state", false)).isEqualTo("not run (plan)");
        assertThat(Fx.call(() -> t.compare().winnerProperty().get())).isEqualTo("make-zero");
        assertThat(mem.allocatedBytes()).isEqualTo(allocated);
        assertThat(writesSeen()).isEqualTo(writes);
        Fx.screenshot(stage.getScene(), "compare-plan-only");
        robot.clickOn("#plan-only");

        // the real make-zero, confirmed by the exact name
        robot.clickOn("#make-zero");
        Fx.waitFor("the confirmation dialog", () -> robot.lookup("#confirm-zero-name").tryQuery().isPresent());
        robot.clickOn("#confirm-zero-name").write("mem");
        Button ok2 = robot.lookup("#confirm-zero-ok").queryAs(Button.class);
        assertThat(Fx.call(ok2::isDisabled)).isFalse();
        robot.clickOn(ok2);
        waitIdle(t);
        assertThat(cell(v, "Method", false)).isEqualTo("FAST_ZERO");
        assertThat(Long.parseLong(cell(v, "Requests", false).replace(",", ""))).isGreaterThanOrEqualTo(2);
        assertThat(cell(v, "  WRITE_ZEROES", false)).isEqualTo("1");
        assertThat(cell(v, "  BLOCK_STATUS", false)).as("rung 1's probe and the verification").isEqualTo("2");
        assertThat(cell(v, "Server errors", false)).isEqualTo("0");
        assertThat(cell(v, "Verified final state", false)).isEqualTo("zero (verified)");
        assertThat(cell(v, "Wall time", false)).endsWith(" ms");
        assertThat(Fx.call(() -> v.table().getColumns().get(2).getText())).isEqualTo("Make zero");
        assertThat(Fx.call(() -> t.compare().winnerProperty().get())).isEqualTo("make-zero");
        assertThat(Fx.call(() -> robot.lookup("#compare-verdict").queryLabeled().getText()))
            .startsWith("Winner: make-zero. The probe could only answer no (BLOCK_STATUS_64), while make-zero made it zero");
        assertThat(Fx.call(() -> t.compare().comparisonProperty().get().makeZero().executed())).isTrue();
        assertThat(Fx.call(() -> v.chart().getData().get(1).getData().get(0).getYValue().doubleValue())).isEqualTo(100.0);
        assertThat(mem.allocatedBytes()).isZero();

        // the heat-map rescans and shows no data any more
        Fx.waitFor("the rescan", () -> t.state() == TargetModel.State.COMPLETE && t.totalsProperty().get().bytes(ExtentKind.DATA) == 0);
        assertThat(cellPixel(t, dataCell)).isEqualTo(Theme.LIGHT.palette().hole());
        Fx.screenshot(stage.getScene(), "compare-make-zero");
    }

    @Test
    void onAFreshConnectionTheZeroFlagAnswersWithoutARoundTrip(FxRobot robot) throws Exception {
        memoryExportWithData();
        TargetModel t = openComplete(server.uri("fresh"));
        CompareView v = panel(t);
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.P).release(KeyCode.SHIFT, KeyCode.CONTROL);
        Fx.waitFor("the probe's answer", () -> !t.compare().busy() && !t.compare().probeSummaryProperty().get().isEmpty());
        assertThat(cell(v, "Method", true)).isEqualTo("ZERO_FLAG");
        assertThat(cell(v, "Requests", true)).isEqualTo("0");
        assertThat(cell(v, "Round trips", true)).isEqualTo("0");
        assertThat(cell(v, "Bytes sent", true)).isEqualTo("0 B");
        assertThat(cell(v, "Bytes received", true)).isEqualTo("0 B");
        assertThat(cell(v, "Verified final state", true)).isEqualTo("zero");
        assertThat(Fx.call(() -> t.compare().probeSummaryProperty().get())).contains("NBD_INIT_ZERO").contains("0 extra round trips");
        // compare both, plan only: the zero flag wins against make-zero's plan
        Fx.run(() -> t.compare().planOnlyProperty().set(true));
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.C).release(KeyCode.SHIFT, KeyCode.CONTROL);
        Fx.waitFor("the comparison", () -> !t.compare().busy() && t.compare().comparisonProperty().get() != null);
        assertThat(Fx.call(() -> t.compare().winnerProperty().get())).isEqualTo("zero probe");
        assertThat(cell(v, "Round trips", true)).isEqualTo("0");
        assertThat(Fx.call(() -> v.chart().getData().get(0).getData().get(1).getYValue().doubleValue()))
            .as("0 round trips draw no bar").isZero();
        Fx.screenshot(stage.getScene(), "compare-zero-flag");
        Fx.run(() -> model.themeProperty().set(Theme.DARK));
        Fx.screenshot(stage.getScene(), "compare-zero-flag-dark");
        Fx.run(() -> model.themeProperty().set(Theme.HIGH_CONTRAST));
        Fx.screenshot(stage.getScene(), "compare-zero-flag-high-contrast");
    }

    @Test
    void theDemoIsReadOnlySoMakeZeroIsDisabledAndSaysWhy(FxRobot robot) {
        TargetModel t = openComplete("demo");
        CompareView v = panel(t);
        assertThat(Fx.call(() -> robot.lookup("#make-zero").queryAs(Button.class).isDisabled())).isTrue();
        assertThat(Fx.call(() -> robot.lookup("#probe-zero").queryAs(Button.class).isDisabled())).isFalse();
        robot.moveTo("#make-zero");
        Fx.waitFor("the tooltip", () -> v.makeZeroTooltip().isShowing());
        assertThat(Fx.call(() -> v.makeZeroTooltip().getText()))
            .isEqualTo("Make zero is not available: the export is read-only (NBD_FLAG_READ_ONLY): make-zero never writes to it");
        Fx.screenshot(v.makeZeroTooltip().getScene(), "compare-read-only-tooltip");
        Fx.screenshot(stage.getScene(), "compare-read-only");
        // the keyboard's make zero does nothing here; compare both weighs the probe against a refused plan
        robot.press(KeyCode.CONTROL, KeyCode.SHIFT).type(KeyCode.Z).release(KeyCode.SHIFT, KeyCode.CONTROL);
        assertThat(robot.lookup("#confirm-zero-name").tryQuery()).isEmpty();
        assertThat(Fx.call(t.compare()::busy)).isFalse();
        robot.clickOn("#compare-both");
        Fx.waitFor("the comparison", () -> !t.compare().busy() && t.compare().comparisonProperty().get() != null);
        assertThat(cell(v, "Method", true)).isEqualTo("BLOCK_STATUS_64");
        assertThat(cell(v, "Verified final state", true)).isEqualTo("not zero");
        assertThat(cell(v, "Method", false)).isEqualTo("refused");
        assertThat(cell(v, "Verified final state", false)).isEqualTo("would be refused");
        assertThat(Fx.call(() -> t.compare().winnerProperty().get())).isEqualTo("neither");
        assertThat(Fx.call(() -> robot.lookup("#compare-verdict").queryLabeled().getText()))
            .isEqualTo("Winner: neither. The probe answered no and make-zero would be refused (the export is read-only"
                + " (NBD_FLAG_READ_ONLY): make-zero never writes to it).");
        Fx.screenshot(stage.getScene(), "compare-demo");
    }

    @Test
    void aLongProbeShowsItsProgressInTheStatusBarAndCancels(FxRobot robot) throws Exception {
        // 2 PiB, no extended headers, no zero flag: the 32-bit probe would walk 2^19 requests
        server = NbdServer.builder().export("huge", new MemoryBackend(1L << 51), "huge", false)
            .unixSocket(dir.resolve("huge.sock")).extendedHeaders(false).initState(false).start();
        TargetModel t = Fx.call(() -> model.open(server.uri("huge")));
        Fx.waitFor("the scan", () -> t.state() == TargetModel.State.SCANNING && t.scanningProperty().get());
        CompareView v = panel(t);
        assertThat(Fx.call(() -> robot.lookup("#probe-zero").queryAs(Button.class).isDisabled())).as("waits for the scan").isTrue();
        robot.clickOn("#cancel-scan");
        Fx.waitFor("the scan to stop", () -> t.state() == TargetModel.State.CANCELLED);
        robot.clickOn("#probe-zero");
        Fx.waitFor("progress", () -> t.compare().busy() && t.compare().progressProperty().get() > 0);
        org.controlsfx.control.StatusBar bar = robot.lookup("#status-bar").queryAs(org.controlsfx.control.StatusBar.class);
        assertThat(Fx.call(bar::getText)).startsWith("Zero-flag probe · probe ").contains(" of 2 PiB");
        assertThat(Fx.call(() -> robot.lookup("#cancel-scan").queryAs(Button.class).isDisabled())).isFalse();
        assertThat(Fx.call(() -> robot.lookup("#rescan").queryAs(Button.class).isDisabled())).as("no rescan during a zero job").isTrue();
        Fx.screenshot(stage.getScene(), "compare-probe-running");
        robot.clickOn("#cancel-scan");
        waitIdle(t);
        assertThat(cell(v, "Method", true)).isEqualTo("BLOCK_STATUS_32");
        assertThat(cell(v, "Verified final state", true)).isEqualTo("unknown");
        assertThat(Fx.call(() -> t.compare().probeSummaryProperty().get())).startsWith(CompareModel.PROBE_TITLE + ": cancelled after ");
        assertThat(Long.parseLong(cell(v, "Requests", true).replace(",", ""))).isGreaterThan(1);
        assertThat(Fx.call(bar::getText)).startsWith("Scan cancelled");
    }
}
