package org.nbdscope.app.gui;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javafx.scene.control.TableView;
import javafx.scene.image.PixelReader;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.app.gui.model.AppModel;
import org.nbdscope.app.gui.model.ChangesModel;
import org.nbdscope.app.gui.model.CompareRow;
import org.nbdscope.app.gui.model.DetailRow;
import org.nbdscope.app.gui.model.HeatMapModel;
import org.nbdscope.app.gui.model.Palette;
import org.nbdscope.app.gui.model.TargetModel;
import org.nbdscope.app.gui.model.Theme;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.nbd.server.NbdServer;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.session.Session;
import org.nbdscope.engine.session.SessionFiles;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.Start;
import org.testfx.framework.junit5.Stop;

/**
 * Sessions in the desktop app, driven headless: save, close and reopen offline (the same heat-map pixels,
 * details, compare results, notes and view, without a connection), rescan a saved target and see what changed,
 * broken files and failed saves as readable notices that lose nothing, autosave, and the unsaved-changes guard.
 */
class SessionWindowTest extends AppWindowTest {
    static final long GiB = 1L << 30;
    static final long TiB = 1L << 40;
    static final long MiB = 1L << 20;

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

    @Override
    void configure(AppModel model) {
        model.autosave().stop();  // the tests autosave themselves, when they mean to
    }

    /** A 1 TiB writable memory export "mem" with 1 MiB of data at 0 and at 300 GiB. */
    String memoryExport() throws Exception {
        mem = new MemoryBackend(TiB);
        server = NbdServer.builder().export("mem", mem, "writable memory disk", false)
            .unixSocket(dir.resolve("nbd.sock")).start();
        write(0);
        write(300 * GiB);
        return server.uri("mem");
    }

    void write(long offset) {
        byte[] data = new byte[(int) MiB];
        Arrays.fill(data, (byte) 0x5a);
        mem.write(offset, ByteBuffer.wrap(data));
    }

    boolean saveAs(Path file) {
        return Fx.call(() -> model.saveAs(file)).join();
    }

    /** Opens a session file the way the command line and a drop do, and waits for its first tab. */
    TargetModel reopen(Path file) {
        int before = Fx.call(() -> model.notices().size());
        Fx.run(() -> window.openAny(file.toString()));
        Fx.waitFor("the session to open", () -> !model.targets().isEmpty() && model.targets().getFirst().state() == TargetModel.State.SAVED
            || model.notices().size() > before);
        return Fx.call(() -> model.targets().isEmpty() ? null : model.targets().getFirst());
    }

    void closeAll() {
        Fx.run(() -> new ArrayList<>(model.targets()).forEach(model::close));
    }

    /** Every cell's centre pixel, read back from the heat-map's image. */
    int[] cellPixels(TargetModel t) {
        return Fx.call(() -> {
            HeatMapModel h = t.heatMap();
            PixelReader r = window.viewOf(t).heatMapView().image().getPixelReader();
            int[] out = new int[h.cells()];
            for (int i = 0; i < out.length; i++) {
                out[i] = r.getArgb((i % h.columns()) * HeatMapModel.PITCH + 3, (i / h.columns()) * HeatMapModel.PITCH + 3);
            }
            return out;
        });
    }

    int cellOf(TargetModel t, long offset) {
        return Fx.call(() -> {
            HeatMapModel h = t.heatMap();
            for (int i = 0; i < h.cells(); i++) if (h.cellFrom(i) <= offset && offset < h.cellTo(i)) return i;
            throw new AssertionError("no cell holds " + offset);
        });
    }

    /** A pixel of cell {@code cell} at {@code (dx, dy)} inside it. */
    int pixel(TargetModel t, int cell, int dx, int dy) {
        return Fx.call(() -> {
            HeatMapModel h = t.heatMap();
            return window.viewOf(t).heatMapView().image().getPixelReader()
                .getArgb((cell % h.columns()) * HeatMapModel.PITCH + dx, (cell / h.columns()) * HeatMapModel.PITCH + dy);
        });
    }

    String lastNotice() {
        return Fx.call(() -> model.notices().isEmpty() ? "" : model.notices().getLast().text());
    }

    static void settle() {
        org.testfx.util.WaitForAsyncUtils.sleep(800, java.util.concurrent.TimeUnit.MILLISECONDS);
        org.testfx.util.WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void aSavedSessionReopensOfflineWithTheSameHeatMapPixelsNotesAndView() throws Exception {
        TargetModel t = openComplete("demo");
        Fx.run(() -> {
            t.heatMap().zoomIn();
            t.heatMap().zoomIn();
            t.notesProperty().set("journal looks allocated-zero; check after the next backup");
        });
        assertThat(Fx.call(() -> model.dirtyProperty().get())).isTrue();
        assertThat(Fx.call(stage::getTitle)).isEqualTo("*" + AppModel.UNTITLED + " — demo — nbdscope");
        long from = Fx.call(() -> t.heatMap().viewFrom()), to = Fx.call(() -> t.heatMap().viewTo());
        assertThat(to - from).isLessThan(DemoLayout.size());
        int[] before = cellPixels(t);
        List<DetailRow> details = Fx.call(() -> List.copyOf(t.details()));
        Path file = dir.resolve("demo.nbdscope");
        assertThat(saveAs(file)).isTrue();
        assertThat(Files.size(file)).isPositive();
        assertThat(Fx.call(() -> model.dirtyProperty().get())).isFalse();
        assertThat(Fx.call(stage::getTitle)).isEqualTo("demo.nbdscope — demo — nbdscope");
        assertThat(Fx.call(() -> List.copyOf(model.recentSessions()))).startsWith(file.toString());
        Fx.screenshot(stage.getScene(), "session-saved");

        closeAll();
        TargetModel r = reopen(file);
        assertThat(r).isNotNull();
        assertThat(Fx.call(r::state)).isEqualTo(TargetModel.State.SAVED);
        assertThat(Fx.call(() -> r.connectedProperty().get())).as("offline: nothing connected").isFalse();
        assertThat(Fx.call(() -> r.titleProperty().get())).isEqualTo("demo");
        Fx.waitFor("the reopened heat-map drawn", () -> window.viewOf(r).heatMapView() != null
            && window.viewOf(r).heatMapView().image() != null && r.heatMap().cells() == before.length);
        assertThat(Fx.call(() -> r.heatMap().viewFrom())).isEqualTo(from);
        assertThat(Fx.call(() -> r.heatMap().viewTo())).isEqualTo(to);
        assertThat(cellPixels(r)).isEqualTo(before);
        assertThat(Fx.call(() -> r.notesProperty().get())).isEqualTo("journal looks allocated-zero; check after the next backup");
        assertThat(Fx.call(() -> window.viewOf(r).notes().getText())).isEqualTo("journal looks allocated-zero; check after the next backup");
        assertThat(Fx.call(() -> r.totalsProperty().get().bytes(ExtentKind.DATA))).isEqualTo(DemoLayout.bytes(ExtentKind.DATA));
        // the negotiated facts as saved, then the saved scan's figures
        List<DetailRow> reopened = Fx.call(() -> List.copyOf(r.details()));
        List<DetailRow> negotiated = details.stream().filter(d -> !d.group().equals("Last scan")).toList();
        assertThat(reopened).containsAll(negotiated);
        assertThat(reopened).anyMatch(d -> d.group().equals("Last scan") && d.name().equals("Taken"));
        assertThat(reopened).anyMatch(d -> d.group().equals("Last scan") && d.name().equals("Extents")
            && d.value().equals(org.nbdscope.app.gui.model.Units.grouped(DemoLayout.extents())));
        assertThat(Fx.call(() -> r.table().rowsProperty().get().size())).isEqualTo(DemoLayout.extents());
        String status = Fx.call(() -> r.statusTextProperty().get());
        assertThat(status).startsWith("Saved scan taken ").contains("offline: Rescan (F5) shows what changed");
        assertThat(Fx.call(() -> r.connectionTextProperty().get())).isEqualTo("Offline · saved scan");
        assertThat(Fx.call(() -> model.dirtyProperty().get())).isFalse();
        assertThat(Fx.call(stage::getTitle)).isEqualTo("demo.nbdscope — demo — nbdscope");
        settle();
        Fx.screenshot(stage.getScene(), "session-reopened-offline");
        Fx.run(() -> window.viewOf(r).sideTabs().getSelectionModel().select(1));
        Fx.screenshot(stage.getScene(), "session-reopened-details");
    }

    List<CompareRow> compareRows(TargetModel t) {
        return Fx.call(() -> List.copyOf(window.viewOf(t).compare().table().getItems()));
    }

    @Test
    void anOfflineReopenShowsTheDetailsAndCompareResultsWithoutConnecting() throws Exception {
        String uri = memoryExport();
        TargetModel t = openComplete(uri);
        Fx.run(() -> t.compare().probe());
        Fx.waitFor("the probe", () -> !t.compare().busy() && t.compare().lastProbe() != null);
        Fx.run(() -> {
            t.compare().planOnlyProperty().set(true);
            t.compare().makeZero(null);
        });
        Fx.waitFor("the plan", () -> !t.compare().busy() && t.compare().comparisonProperty().get() != null);
        List<CompareRow> rows = compareRows(t);
        String verdict = Fx.call(() -> t.compare().verdictProperty().get());
        assertThat(verdict).startsWith("Winner: make-zero.");
        List<DetailRow> negotiated = Fx.call(() -> t.details().stream().filter(d -> !d.group().equals("Last scan")).toList());
        assertThat(negotiated).anyMatch(d -> d.value().toLowerCase().contains("extended"));
        Path file = dir.resolve("mem.nbdscope");
        assertThat(saveAs(file)).isTrue();
        Session saved = SessionFiles.read(file);
        assertThat(saved.targets()).hasSize(1);
        assertThat(saved.targets().getFirst().probes()).hasSize(1);
        assertThat(saved.targets().getFirst().makeZeros()).hasSize(1);
        assertThat(saved.targets().getFirst().comparisons()).hasSize(1);
        assertThat(saved.targets().getFirst().scans()).hasSize(1);

        closeAll();
        server.close();  // nothing to connect to: whatever shows now comes from the file
        server = null;
        TargetModel r = reopen(file);
        assertThat(Fx.call(r::state)).isEqualTo(TargetModel.State.SAVED);
        Fx.run(() -> window.viewOf(r).showCompare());
        assertThat(compareRows(r)).isEqualTo(rows);
        assertThat(Fx.call(() -> r.compare().verdictProperty().get())).isEqualTo(verdict);
        assertThat(Fx.call(() -> r.compare().statusTextProperty().get())).startsWith("Saved results · saved ");
        assertThat(Fx.call(() -> r.compare().readyProperty().get())).as("nothing runs offline").isFalse();
        assertThat(Fx.call(() -> List.copyOf(r.details()))).containsAll(negotiated);
        assertThat(Fx.call(() -> r.totalsProperty().get().bytes(ExtentKind.DATA))).isEqualTo(2 * MiB);
        settle();
        Fx.screenshot(stage.getScene(), "session-offline-compare");
    }

    @Test
    void rescanningASavedTargetShowsWhatChangedOnTheHeatMapAndInTheChangesPanel(FxRobot robot) throws Exception {
        String uri = memoryExport();
        TargetModel t = openComplete(uri);
        Path file = dir.resolve("changes.nbdscope");
        assertThat(saveAs(file)).isTrue();
        closeAll();
        // between the scans: new data at 500 GiB, the data at 300 GiB trimmed away
        write(500 * GiB);
        mem.trim(300 * GiB, MiB);

        TargetModel r = reopen(file);
        assertThat(Fx.call(() -> r.changes().availableProperty().get())).isFalse();
        int at300 = cellOf(r, 300 * GiB), at500 = cellOf(r, 500 * GiB);
        Palette p = Theme.LIGHT.palette();
        assertThat(pixel(r, at300, 3, 3)).isNotEqualTo(p.hole());
        robot.clickOn("#rescan");
        Fx.waitFor("the rescan and its diff", () -> r.state() == TargetModel.State.COMPLETE && r.changes().availableProperty().get());
        ChangesModel c = r.changes();
        assertThat(Fx.call(() -> List.copyOf(c.rows()))).containsExactly(
            new ChangesModel.Region(300 * GiB, MiB, ExtentKind.DATA, ExtentKind.HOLE),
            new ChangesModel.Region(500 * GiB, MiB, ExtentKind.HOLE, ExtentKind.DATA));
        assertThat(Fx.call(() -> c.summaryProperty().get()))
            .startsWith("2 regions changed since the scan of ").contains("data → hole 1 MiB (1)").contains("hole → data 1 MiB (1)");
        // the heat-map: data appeared at 500 GiB (a mark in the top-left corner), went at 300 GiB (bottom-right);
        // an unchanged cell fades towards the background
        assertThat(pixel(r, at500, 1, 1)).isEqualTo(p.changed());
        assertThat(pixel(r, at500, 5, 5)).isNotEqualTo(p.changed());
        assertThat(pixel(r, at300, 5, 5)).isEqualTo(p.changed());
        assertThat(pixel(r, at300, 1, 1)).isNotEqualTo(p.changed());
        int unchanged = cellOf(r, 700 * GiB);
        assertThat(pixel(r, unchanged, 3, 3)).isNotEqualTo(p.hole());
        assertThat(Fx.call(() -> r.heatMap().describe(at500))).contains("changed since the saved scan: became data 1 MiB");
        // the Changes panel is in front; Next steps through the regions and shows each on the heat-map
        assertThat(Fx.call(() -> window.viewOf(r).sideTabs().getSelectionModel().getSelectedItem().getId())).isEqualTo("tab-changes");
        robot.clickOn("#change-next");
        assertThat(Fx.call(() -> c.currentProperty().get())).isZero();
        assertThat(Fx.call(() -> r.heatMap().selectionFrom())).isEqualTo(300 * GiB);
        robot.clickOn("#change-next");
        assertThat(Fx.call(() -> r.heatMap().selectionFrom())).isEqualTo(500 * GiB);
        @SuppressWarnings("unchecked")
        TableView<ChangesModel.Region> table = robot.lookup("#changes-table").queryAs(TableView.class);
        assertThat(Fx.call(() -> table.getSelectionModel().getSelectedIndex())).isEqualTo(1);
        settle();
        Fx.screenshot(stage.getScene(), "session-rescan-changes");
        Fx.run(() -> model.themeProperty().set(Theme.DARK));
        assertThat(pixel(r, at500, 1, 1)).isEqualTo(Theme.DARK.palette().changed());
        settle();
        Fx.screenshot(stage.getScene(), "session-rescan-changes-dark");
        Path png = Fx.screenshotDir().resolve("session-rescan-export.png");
        assertThat(Fx.call(() -> model.export(r, AppModel.Export.PNG, png, 800, 400)).join()).isTrue();
        Fx.run(() -> model.themeProperty().set(Theme.LIGHT));
        // unmarking restores the plain colours
        robot.clickOn("#changes-shown");
        assertThat(pixel(r, unchanged, 3, 3)).isEqualTo(p.hole());
        robot.clickOn("#changes-shown");
        // the new scan joins the session's history; reopening shows the same changes again
        assertThat(Fx.call(() -> model.dirtyProperty().get())).isTrue();
        assertThat(Fx.call(() -> model.save()).join()).isTrue();
        assertThat(SessionFiles.read(file).targets().getFirst().scans()).hasSize(2);
        closeAll();
        TargetModel again = reopen(file);
        Fx.waitFor("the saved changes", () -> again.changes().availableProperty().get());
        assertThat(Fx.call(() -> again.changes().rows().size())).isEqualTo(2);
    }

    @Test
    void brokenTruncatedAndNewerSessionFilesGiveReadableNoticesAndTheAppKeepsRunning() throws Exception {
        TargetModel demo = openComplete("demo");
        Path good = dir.resolve("good.nbdscope");
        assertThat(saveAs(good)).isTrue();
        byte[] bytes = Files.readAllBytes(good);

        Path garbage = dir.resolve("garbage.nbdscope");
        Files.writeString(garbage, "this is not JSON at all");
        Path truncated = dir.resolve("truncated.nbdscope");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        Path newer = dir.resolve("newer.nbdscope");
        Files.writeString(newer, new String(bytes, StandardCharsets.UTF_8).replaceFirst("\"schema\"\\s*:\\s*1", "\"schema\":99"));
        Path missing = dir.resolve("missing.nbdscope");

        for (Path f : List.of(garbage, truncated, newer, missing)) {
            int before = Fx.call(() -> model.notices().size());
            Fx.run(() -> window.openAny(f.toString()));
            Fx.waitFor("the notice for " + f.getFileName(), () -> model.notices().size() > before);
            String text = lastNotice();
            assertThat(text).startsWith("Cannot open session: " + f);
            assertThat(text).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain(".java:");
            // nothing was lost: the open tab and its file stay
            assertThat(Fx.call(() -> model.targets())).containsExactly(demo);
            assertThat(Fx.call(() -> model.sessionFileProperty().get())).isEqualTo(good);
            if (f == newer) assertThat(text).contains("99");
            if (f == truncated) assertThat(text).containsAnyOf("end", "truncated", "unexpected");
            if (f == missing) assertThat(text).contains("no such session file");
        }
        assertThat(Files.readAllBytes(good)).isEqualTo(bytes);
        settle();
        Fx.screenshot(stage.getScene(), "session-broken-file");
    }

    /** Makes {@code folder} refuse new files, even for root (then with the immutable attribute); false when it cannot. */
    static boolean makeReadOnly(Path folder) throws Exception {
        Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        if (!canCreateIn(folder)) return true;
        try {
            Process p = new ProcessBuilder("chattr", "+i", folder.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
        } catch (java.io.IOException e) {
            return false;
        }
        return !canCreateIn(folder);
    }

    static void makeWritable(Path folder) throws Exception {
        try {
            Process p = new ProcessBuilder("chattr", "-i", folder.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor();
        } catch (java.io.IOException e) {
            // no chattr: the folder never got the attribute
        }
        Files.setPosixFilePermissions(folder, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    static boolean canCreateIn(Path folder) {
        try {
            Files.delete(Files.createTempFile(folder, "probe", ".tmp"));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void aFailedSaveKeepsTheOldFileAndSaysWhy() throws Exception {
        TargetModel t = openComplete("demo");
        Path folder = Files.createDirectory(dir.resolve("read-only"));
        Path file = folder.resolve("kept.nbdscope");
        assertThat(saveAs(file)).isTrue();
        byte[] old = Files.readAllBytes(file);
        Fx.run(() -> t.notesProperty().set("a note the read-only folder will not take"));
        try {
            org.junit.jupiter.api.Assumptions.assumeTrue(makeReadOnly(folder), "this machine cannot make a folder read-only");
            int before = Fx.call(() -> model.notices().size());
            assertThat(Fx.call(() -> model.save()).join()).isFalse();
            Fx.waitFor("the notice", () -> model.notices().size() > before);
            assertThat(lastNotice()).startsWith("Save failed: cannot save ").contains(file.toString())
                .contains("Operation not permitted").contains("the previous file is unchanged")
                .doesNotContain("Exception").doesNotContain(".java:");
            assertThat(Files.readAllBytes(file)).isEqualTo(old);
            assertThat(Fx.call(() -> model.dirtyProperty().get())).as("still unsaved").isTrue();
            assertThat(Fx.call(() -> model.sessionFileProperty().get())).isEqualTo(file);
            assertThat(Fx.call(() -> t.notesProperty().get())).isEqualTo("a note the read-only folder will not take");
            Fx.waitFor("the notification", () -> window.notificationPane().isShowing());
            settle();
            Fx.screenshot(stage.getScene(), "session-save-failed");
        } finally {
            makeWritable(folder);
        }
        // once the folder takes files again, the same save works and keeps the old version as .bak
        assertThat(Fx.call(() -> model.save()).join()).isTrue();
        assertThat(Files.readAllBytes(SessionFiles.backupOf(file))).isEqualTo(old);
        assertThat(SessionFiles.read(file).targets().getFirst().notes()).isEqualTo("a note the read-only folder will not take");
    }

    @Test
    void autosaveWritesTheSessionsFileOrTheSettingsFolderAndOffersRecovery(FxRobot robot) throws Exception {
        Path autosave = settingsDir.resolve("autosave.nbdscope");
        Files.deleteIfExists(autosave);
        TargetModel t = openComplete("demo");
        // an untitled session with nothing but a scan is not autosaved: a new scan gives it back
        assertThat(Fx.call(() -> model.autosaveNow()).join()).isFalse();
        assertThat(autosave).doesNotExist();
        Fx.run(() -> t.notesProperty().set("autosaved note"));
        assertThat(Fx.call(() -> model.autosaveNow()).join()).isTrue();
        assertThat(SessionFiles.read(autosave).targets().getFirst().notes()).isEqualTo("autosaved note");
        assertThat(Fx.call(() -> model.dirtyProperty().get())).as("an autosave is not a save").isTrue();
        assertThat(Fx.call(() -> model.autosaveNow()).join()).as("nothing new to write").isFalse();

        // the next start offers it back
        closeAll();
        Fx.run(() -> window.offerRecovery());
        Fx.waitFor("the recovery dialog", () -> robot.lookup("#recover-dialog").tryQuery().isPresent());
        javafx.stage.Window dialog = Fx.call(() -> robot.lookup("#recover-dialog").query().getScene().getWindow());
        Fx.screenshot(dialog.getScene(), "session-recover-dialog");
        robot.clickOn("Recover");
        Fx.waitFor("the recovered tab", () -> model.targets().size() == 1 && model.targets().getFirst().state() == TargetModel.State.SAVED);
        TargetModel r = Fx.call(() -> model.targets().getFirst());
        assertThat(Fx.call(() -> r.notesProperty().get())).isEqualTo("autosaved note");
        assertThat(Fx.call(() -> model.sessionFileProperty().get())).isNull();
        assertThat(Fx.call(() -> model.dirtyProperty().get())).isTrue();

        // saved under a name, the autosave goes, and later autosaves write the session's own file
        Path file = dir.resolve("named.nbdscope");
        assertThat(saveAs(file)).isTrue();
        assertThat(autosave).doesNotExist();
        Fx.run(() -> r.notesProperty().set("changed after saving"));
        assertThat(Fx.call(() -> model.autosaveNow()).join()).isTrue();
        assertThat(SessionFiles.read(file).targets().getFirst().notes()).isEqualTo("changed after saving");
        assertThat(Fx.call(() -> model.dirtyProperty().get())).isFalse();
    }

    @Test
    void aSessionFileSavedByAnotherProgramIsNotOverwrittenByAutosaveAndASaveSaysWhereItsVersionWent() throws Exception {
        TargetModel t = openComplete("demo");
        Path file = dir.resolve("shared.nbdscope");
        assertThat(saveAs(file)).isTrue();
        // the command line adds a target meanwhile (as `nbdscope map --save shared.nbdscope ...` does)
        Session outside = SessionFiles.read(file);
        outside = outside.withTarget(org.nbdscope.engine.session.SessionTarget.of(outside.newTargetId(),
            org.nbdscope.engine.session.TargetRef.of("nbd://elsewhere/disk", null), null));
        SessionFiles.write(file, outside);

        Fx.run(() -> t.notesProperty().set("a note written in the window"));
        assertThat(Fx.call(() -> model.autosaveNow()).join()).as("autosave leaves the other program's save alone").isFalse();
        assertThat(SessionFiles.read(file).targets()).hasSize(2);
        assertThat(lastNotice()).startsWith("Autosave paused: " + file + " was saved by another program")
            .contains("shared.nbdscope.bak");
        int notices = Fx.call(() -> model.notices().size());
        Fx.run(() -> t.notesProperty().set("a second note"));
        assertThat(Fx.call(() -> model.autosaveNow()).join()).isFalse();
        assertThat(Fx.call(() -> model.notices().size())).as("said once, not at every autosave").isEqualTo(notices);
        Fx.waitFor("the notification", () -> window.notificationPane().isShowing());
        settle();
        Fx.screenshot(stage.getScene(), "session-autosave-paused");

        assertThat(Fx.call(() -> model.save()).join()).isTrue();
        assertThat(lastNotice()).startsWith("Saved over another program's save: session " + file)
            .endsWith("that version is kept as shared.nbdscope.bak");
        assertThat(SessionFiles.read(file).targets()).hasSize(1);
        assertThat(SessionFiles.read(file).targets().getFirst().notes()).isEqualTo("a second note");
        assertThat(SessionFiles.read(SessionFiles.backupOf(file)).targets()).extracting(x -> x.target().target())
            .contains("nbd://elsewhere/disk");
        settle();
        Fx.screenshot(stage.getScene(), "session-saved-over-outside-change");

        // from then on the window's own saves are its own again: autosave writes without a word
        Fx.run(() -> t.notesProperty().set("a third note"));
        assertThat(Fx.call(() -> model.autosaveNow()).join()).isTrue();
        assertThat(SessionFiles.read(file).targets().getFirst().notes()).isEqualTo("a third note");
    }

    @Test
    void closingWithUnsavedWorkAsksAndCancelKeepsTheWindow(FxRobot robot) throws Exception {
        TargetModel t = openComplete("demo");
        Fx.run(() -> t.notesProperty().set("do not lose me"));
        Fx.run(() -> window.requestClose());
        Fx.waitFor("the unsaved-changes dialog", () -> robot.lookup("#unsaved-dialog").tryQuery().isPresent());
        javafx.stage.Window dialog = Fx.call(() -> robot.lookup("#unsaved-dialog").query().getScene().getWindow());
        assertThat(Fx.call(() -> ((javafx.scene.control.DialogPane) robot.lookup("#unsaved-dialog").query()).getContentText()))
            .contains("1 target, notes on 1");
        Fx.screenshot(dialog.getScene(), "session-unsaved-dialog");
        robot.clickOn("#unsaved-cancel");
        Fx.waitFor("the dialog to close", () -> !dialog.isShowing());
        assertThat(Fx.call(stage::isShowing)).isTrue();
        assertThat(Fx.call(() -> model.targets())).containsExactly(t);

        // a session file opened on top asks the same; Don't Save opens it
        Path other = dir.resolve("other.nbdscope");
        Files.write(other, SessionFiles.toBytes(Session.create("test")));
        Fx.run(() -> window.openAny(other.toString()));
        Fx.waitFor("the unsaved-changes dialog", () -> robot.lookup("#unsaved-discard").tryQuery().isPresent());
        robot.clickOn("#unsaved-discard");
        Fx.waitFor("the other session", () -> other.equals(model.sessionFileProperty().get()));
        assertThat(Fx.call(() -> model.targets())).isEmpty();

        // Save in the same question writes the session first, then goes on
        TargetModel d = openComplete("demo");
        Path mine = dir.resolve("mine.nbdscope");
        assertThat(saveAs(mine)).isTrue();
        Fx.run(() -> d.notesProperty().set("saved on the way out"));
        Fx.run(() -> window.openAny(other.toString()));
        Fx.waitFor("the unsaved-changes dialog", () -> robot.lookup("#unsaved-save").tryQuery().isPresent());
        robot.clickOn("#unsaved-save");
        Fx.waitFor("the other session again", () -> other.equals(model.sessionFileProperty().get()));
        assertThat(SessionFiles.read(mine).targets().getFirst().notes()).isEqualTo("saved on the way out");
    }

    @Test
    void exportsWriteThePngAtTheChosenSizeTheExtentsAndTheReport(FxRobot robot) throws Exception {
        TargetModel t = openComplete("demo");
        Fx.run(() -> t.notesProperty().set("exported <note> & more"));
        Path png = dir.resolve("demo.png"), csv = dir.resolve("demo.csv"), json = dir.resolve("demo.json"), html = dir.resolve("demo.html");
        assertThat(Fx.call(() -> model.export(t, AppModel.Export.PNG, png, 1200, 500)).join()).isTrue();
        byte[] b = Files.readAllBytes(png);
        assertThat(Arrays.copyOfRange(b, 1, 4)).isEqualTo("PNG".getBytes(StandardCharsets.US_ASCII));
        assertThat(ByteBuffer.wrap(b, 16, 8).getInt()).as("width").isEqualTo(1200);
        assertThat(ByteBuffer.wrap(b, 20, 4).getInt()).as("height").isEqualTo(500);
        assertThat(lastNotice()).isEqualTo("Exported: heat-map image (1200 × 500) to " + png);
        Files.copy(png, Fx.screenshotDir().resolve("session-export-demo.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        assertThat(Fx.call(() -> model.export(t, AppModel.Export.CSV, csv, 0, 0)).join()).isTrue();
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines.getFirst()).isEqualTo("offset,length,type,description");
        assertThat(lines).hasSize(DemoLayout.extents() + 1);
        assertThat(lines.get(1)).startsWith("0,");

        assertThat(Fx.call(() -> model.export(t, AppModel.Export.JSON, json, 0, 0)).join()).isTrue();
        String j = Files.readString(json);
        assertThat(j.strip()).startsWith("[").endsWith("]");
        assertThat(j).contains("\"offset\": 0").contains("\"type\"").contains("\"description\"");

        assertThat(Fx.call(() -> model.export(t, AppModel.Export.HTML, html, 0, 0)).join()).isTrue();
        String h = Files.readString(html);
        assertThat(h).startsWith("<!DOCTYPE html>").contains("data:image/png;base64,").contains("exported &lt;note&gt; &amp; more")
            .doesNotContain("<script");

        // Export ▸ Heat-map as PNG (Ctrl+E) asks for the size first; cancelling it writes nothing
        robot.press(javafx.scene.input.KeyCode.CONTROL).type(javafx.scene.input.KeyCode.E).release(javafx.scene.input.KeyCode.CONTROL);
        Fx.waitFor("the size dialog", () -> robot.lookup("#png-size-dialog").tryQuery().isPresent());
        javafx.stage.Window sizeDialog = Fx.call(() -> robot.lookup("#png-size-dialog").query().getScene().getWindow());
        assertThat(Fx.call(() -> robot.lookup("#png-width").queryAs(javafx.scene.control.Spinner.class).getValue())).isEqualTo(1600);
        Fx.screenshot(sizeDialog.getScene(), "session-export-png-size");
        Fx.run(() -> ((javafx.scene.control.Button) ((javafx.scene.control.DialogPane) robot.lookup("#png-size-dialog").query())
            .lookupButton(javafx.scene.control.ButtonType.CANCEL)).fire());
        Fx.waitFor("the dialog to close", () -> !sizeDialog.isShowing());

        // a failed export says why and leaves nothing half-written
        Path nowhere = dir.resolve("no-such-folder").resolve("x.csv");
        assertThat(Fx.call(() -> model.export(t, AppModel.Export.CSV, nowhere, 0, 0)).join()).isFalse();
        assertThat(lastNotice()).startsWith("Cannot export the extents as CSV to " + nowhere + ": ").doesNotContain("Exception");
        assertThat(nowhere).doesNotExist();
        Fx.screenshot(stage.getScene(), "session-export-failed");
    }

    @Test
    void anImageFileOpenedByARelativePathIsSavedByItsAbsolutePath() throws Exception {
        Path img = dir.resolve("disk.raw");
        try (var raf = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            raf.setLength(64L << 20);
            raf.seek(8L << 20);
            raf.write(new byte[4096]);
        }
        String rel = Path.of("").toAbsolutePath().relativize(img).toString();
        TargetModel t = openComplete(rel);
        Path file = dir.resolve("image.nbdscope");
        assertThat(saveAs(file)).isTrue();
        assertThat(SessionFiles.read(file).targets().getFirst().target().target()).isEqualTo(img.toAbsolutePath().normalize().toString());
        closeAll();
        TargetModel r = reopen(file);
        assertThat(Fx.call(r::state)).isEqualTo(TargetModel.State.SAVED);
        assertThat(Fx.call(() -> r.totalsProperty().get().size())).isEqualTo(64L << 20);
        assertThat(Fx.call(() -> List.copyOf(r.details()))).anyMatch(d -> d.value().contains("raw"));
    }
}
