package org.nbdscope.app.gui;

import java.io.File;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javafx.animation.PauseTransition;
import javafx.collections.ListChangeListener;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.DragEvent;
import javafx.scene.input.Dragboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.TransferMode;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.stage.FileChooser;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.controlsfx.control.NotificationPane;

import org.nbdscope.app.gui.model.AppModel;
import org.nbdscope.app.gui.model.AppSettings;
import org.nbdscope.app.gui.model.DropTargets;
import org.nbdscope.app.gui.model.HeatMapModel;
import org.nbdscope.app.gui.model.Notice;
import org.nbdscope.app.gui.model.TargetModel;
import org.nbdscope.app.gui.model.Theme;

/**
 * The main window: menus, a tab per open target, the notification bar for errors, drag and drop, the
 * theme, and the window's remembered bounds.
 */
public final class MainWindow {
    private final Stage stage;
    private final AppModel model;
    private final TabPane tabs = new TabPane();
    private final NotificationPane notifications;
    private final PauseTransition infoTimeout = new PauseTransition(Duration.seconds(8));
    private final Label emptyHint = new Label("Open a target with Ctrl+O, or drop a disk image or an NBD URI here.");
    private final Map<TargetModel, Tab> tabOf = new HashMap<>();
    private final Menu recentMenu = new Menu("Recent Targets");
    private final Menu recentSessionsMenu = new Menu("Recent Sessions");
    private final Scene scene;
    private MenuItem closeTab, rescan, cancelScan, zoomIn, zoomOut, fit, probeZero, makeZero, compareBoth, cancelZero;
    private MenuItem exportPng, exportCsv, exportJson, exportHtml, nextChange, previousChange;
    private final CheckMenuItem planOnly = new CheckMenuItem("Plan Only");
    private TargetModel planOnlyBoundTo;

    public MainWindow(Stage stage, AppModel model) {
        this.stage = stage;
        this.model = model;
        tabs.setId("targets");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.ALL_TABS);
        emptyHint.getStyleClass().add("empty-hint");
        emptyHint.visibleProperty().bind(javafx.beans.binding.Bindings.isEmpty(tabs.getTabs()));
        notifications = new NotificationPane(new StackPane(tabs, emptyHint));
        notifications.setId("notifications");
        notifications.setShowFromTop(true);
        infoTimeout.setOnFinished(e -> notifications.hide());

        BorderPane root = new BorderPane(notifications);
        root.setTop(menus());
        AppSettings.WindowBounds b = model.windowBounds(new AppSettings.WindowBounds(Double.NaN, Double.NaN, 1280, 820, false));
        scene = new Scene(root, b.width(), b.height());
        applyTheme(model.themeProperty().get());
        model.themeProperty().addListener((o, a, t) -> applyTheme(t));
        stage.setScene(scene);
        placeWindow(b);

        model.targets().addListener((ListChangeListener<TargetModel>) c -> {
            while (c.next()) {
                for (TargetModel m : c.getRemoved()) {
                    Tab t = tabOf.remove(m);
                    if (t != null) tabs.getTabs().remove(t);
                }
                for (TargetModel m : c.getAddedSubList()) addTab(m);
            }
            refreshActions();
        });
        for (TargetModel m : model.targets()) addTab(m);
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, t) ->
            model.selectedProperty().set(t == null ? null : (TargetModel) t.getUserData()));
        model.selectedProperty().addListener((o, a, m) -> {
            Tab t = m == null ? null : tabOf.get(m);
            if (t != null) tabs.getSelectionModel().select(t);
            bindTitle(m);
            refreshActions();
        });
        bindTitle(model.selectedProperty().get());
        model.notices().addListener((ListChangeListener<Notice>) c -> {
            while (c.next()) for (Notice n : c.getAddedSubList()) show(n);
        });
        model.recentTargets().addListener((ListChangeListener<String>) c -> rebuildRecent());
        model.recentSessions().addListener((ListChangeListener<String>) c -> rebuildRecentSessions());
        rebuildRecent();
        rebuildRecentSessions();
        refreshActions();

        // the other keys people press for zoom: Ctrl and + (shifted or on the keypad), Ctrl and keypad -
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.PLUS, KeyCombination.SHORTCUT_DOWN), () -> withHeat(HeatMapModel::zoomIn));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ADD, KeyCombination.SHORTCUT_DOWN), () -> withHeat(HeatMapModel::zoomIn));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.SUBTRACT, KeyCombination.SHORTCUT_DOWN), () -> withHeat(HeatMapModel::zoomOut));
        scene.setOnDragOver(this::dragOver);
        scene.setOnDragDropped(this::dropped);
        stage.setOnCloseRequest(e -> {
            e.consume();
            requestClose();
        });
        stage.setOnHiding(e -> model.rememberWindow(new AppSettings.WindowBounds(
            stage.getX(), stage.getY(), stage.getWidth(), stage.getHeight(), stage.isMaximized())));
    }

    public Stage stage() { return stage; }

    public Scene scene() { return scene; }

    /** The view of a target's tab (tests and smoke mode look into it). */
    TargetView viewOf(TargetModel m) {
        Tab t = tabOf.get(m);
        return t == null ? null : (TargetView) t.getContent();
    }

    NotificationPane notificationPane() { return notifications; }

    private void addTab(TargetModel m) {
        TargetView v = new TargetView(m);
        Tab t = new Tab();
        t.textProperty().bind(m.titleProperty());
        t.setContent(v);
        t.setUserData(m);
        t.setOnClosed(e -> model.close(m));
        tabOf.put(m, t);
        tabs.getTabs().add(t);
        m.stateProperty().addListener((o, a, s) -> refreshActions());
        m.heatMapProperty().addListener((o, a, h) -> refreshActions());
        m.compare().readyProperty().addListener((o, a, r) -> refreshActions());
        m.compare().canMakeZeroProperty().addListener((o, a, r) -> refreshActions());
        m.compare().busyProperty().addListener((o, a, r) -> refreshActions());
        m.changes().availableProperty().addListener((o, a, r) -> refreshActions());
        m.compare().comparisonProperty().addListener((o, a, r) -> refreshActions());
        if (model.selectedProperty().get() == m) tabs.getSelectionModel().select(t);
    }

    private void applyTheme(Theme t) {
        scene.getStylesheets().setAll(t.stylesheets());
    }

    private void show(Notice n) {
        Label icon = new Label(n.severity() == Notice.Severity.ERROR ? "⚠" : "ℹ");
        icon.getStyleClass().add("notice-icon");
        notifications.setGraphic(icon);
        notifications.setText(n.text());
        notifications.getStyleClass().removeAll("error", "info");
        notifications.getStyleClass().add(n.severity() == Notice.Severity.ERROR ? "error" : "info");
        notifications.show();
        // information goes away by itself; an error stays until the user closes it
        infoTimeout.stop();
        if (n.severity() == Notice.Severity.INFO) infoTimeout.playFromStart();
    }

    // ---- menus and actions ----

    private MenuBar menus() {
        MenuItem open = item("Open Target…", new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), this::openDialog);
        MenuItem openSession = item("Open Session…", new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
            this::openSessionDialog);
        closeTab = item("Close Tab", new KeyCodeCombination(KeyCode.W, KeyCombination.SHORTCUT_DOWN), () -> {
            TargetModel m = model.selectedProperty().get();
            if (m != null) model.close(m);
        });
        MenuItem save = item("Save Session", new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN), () -> save(null));
        MenuItem saveAs = item("Save Session As…", new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
            () -> saveAs(null));
        recentMenu.setId("menu-recent-targets");
        recentSessionsMenu.setId("menu-recent-sessions");
        MenuItem quit = item("Quit", new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN), this::requestClose);
        Menu file = new Menu("File", null, open, recentMenu, new SeparatorMenuItem(), openSession, recentSessionsMenu,
            save, saveAs, new SeparatorMenuItem(), closeTab, quit);
        file.setId("menu-file");

        exportPng = item("Heat-map as PNG…", new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN), this::exportPng);
        exportCsv = item("Extents as CSV…", null, () -> exportExtents(AppModel.Export.CSV));
        exportJson = item("Extents as nbdinfo JSON…", null, () -> exportExtents(AppModel.Export.JSON));
        exportHtml = item("Report as HTML…", new KeyCodeCombination(KeyCode.E, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
            () -> exportExtents(AppModel.Export.HTML));
        Menu export = new Menu("Export", null, exportPng, exportCsv, exportJson, new SeparatorMenuItem(), exportHtml);
        export.setId("menu-export");

        rescan = item("Rescan", new KeyCodeCombination(KeyCode.F5), () -> withTarget(TargetModel::rescan));
        cancelScan = item("Cancel Scan", new KeyCodeCombination(KeyCode.ESCAPE), () -> withTarget(m -> {
            m.cancel();
            m.compare().cancel();
        }));
        nextChange = item("Next Change", new KeyCodeCombination(KeyCode.F8), () -> withChanges(true));
        previousChange = item("Previous Change", new KeyCodeCombination(KeyCode.F8, KeyCombination.SHIFT_DOWN), () -> withChanges(false));
        Menu scan = new Menu("Scan", null, rescan, cancelScan, new SeparatorMenuItem(), nextChange, previousChange);

        probeZero = item("Probe Zero Flag", new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
            () -> withCompare(CompareView::probe));
        makeZero = item("Make Zero…", new KeyCodeCombination(KeyCode.Z, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
            () -> withCompare(CompareView::makeZero));
        compareBoth = item("Compare Both", new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN),
            () -> withCompare(CompareView::compareBoth));
        planOnly.setId("menu-plan-only");
        cancelZero = item("Cancel Probe or Make Zero", null, () -> withTarget(m -> m.compare().cancel()));
        Menu zero = new Menu("Zero", null, probeZero, makeZero, compareBoth, new SeparatorMenuItem(), planOnly, cancelZero);
        zero.setId("menu-zero");

        zoomIn = item("Zoom In", new KeyCodeCombination(KeyCode.EQUALS, KeyCombination.SHORTCUT_DOWN), () -> withHeat(HeatMapModel::zoomIn));
        zoomOut = item("Zoom Out", new KeyCodeCombination(KeyCode.MINUS, KeyCombination.SHORTCUT_DOWN), () -> withHeat(HeatMapModel::zoomOut));
        fit = item("Whole Disk", new KeyCodeCombination(KeyCode.DIGIT0, KeyCombination.SHORTCUT_DOWN), () -> withHeat(HeatMapModel::fit));
        Menu themes = new Menu("Theme");
        ToggleGroup g = new ToggleGroup();
        for (Theme t : Theme.values()) {
            RadioMenuItem r = new RadioMenuItem(t.label());
            r.setId("theme-" + t.id());
            r.setToggleGroup(g);
            r.setSelected(model.themeProperty().get() == t);
            r.setOnAction(e -> model.themeProperty().set(t));
            model.themeProperty().addListener((o, a, now) -> r.setSelected(now == t));
            themes.getItems().add(r);
        }
        Menu view = new Menu("View", null, zoomIn, zoomOut, fit, new SeparatorMenuItem(), themes);

        MenuItem keys = item("Keyboard Shortcuts", new KeyCodeCombination(KeyCode.F1), this::showShortcuts);
        MenuItem about = item("About nbdscope", null, this::showAbout);
        Menu help = new Menu("Help", null, keys, about);

        MenuBar bar = new MenuBar(file, export, scan, zero, view, help);
        bar.setId("menu-bar");
        return bar;
    }

    private static MenuItem item(String text, KeyCombination key, Runnable action) {
        MenuItem i = new MenuItem(text);
        i.setId("menu-" + text.toLowerCase().replaceAll("[^a-z]+", "-").replaceAll("-$", ""));
        if (key != null) i.setAccelerator(key);
        i.setOnAction(e -> action.run());
        return i;
    }

    private void refreshActions() {
        TargetModel m = model.selectedProperty().get();
        boolean hasMap = m != null && m.heatMap() != null;
        closeTab.setDisable(m == null);
        exportPng.setDisable(!hasMap);
        exportCsv.setDisable(!hasMap);
        exportJson.setDisable(!hasMap);
        exportHtml.setDisable(!hasMap);
        boolean changes = m != null && !m.changes().rows().isEmpty();
        nextChange.setDisable(!changes);
        previousChange.setDisable(!changes);
        zoomIn.setDisable(!hasMap);
        zoomOut.setDisable(!hasMap);
        fit.setDisable(!hasMap);
        rescan.setDisable(m == null || m.state() == TargetModel.State.CONNECTING || m.state() == TargetModel.State.SCANNING);
        cancelScan.setDisable(m == null || (m.state() != TargetModel.State.SCANNING && !m.compare().busy()));
        probeZero.setDisable(m == null || !m.compare().readyProperty().get());
        compareBoth.setDisable(m == null || !m.compare().readyProperty().get());
        makeZero.setDisable(m == null || !m.compare().canMakeZeroProperty().get());
        cancelZero.setDisable(m == null || !m.compare().busy());
        if (planOnlyBoundTo != m) {
            if (planOnlyBoundTo != null) planOnly.selectedProperty().unbindBidirectional(planOnlyBoundTo.compare().planOnlyProperty());
            planOnlyBoundTo = m;
            if (m != null) planOnly.selectedProperty().bindBidirectional(m.compare().planOnlyProperty());
        }
        planOnly.setDisable(m == null);
    }

    private void withTarget(java.util.function.Consumer<TargetModel> a) {
        TargetModel m = model.selectedProperty().get();
        if (m != null) a.accept(m);
    }

    /** Runs a compare action on the selected tab and brings its compare panel to the front. */
    private void withCompare(java.util.function.Consumer<CompareView> a) {
        TargetModel m = model.selectedProperty().get();
        TargetView v = m == null ? null : viewOf(m);
        if (v == null) return;
        v.showCompare();
        a.accept(v.compare());
    }

    private void withHeat(java.util.function.Consumer<HeatMapModel> a) {
        TargetModel m = model.selectedProperty().get();
        if (m != null && m.heatMap() != null) a.accept(m.heatMap());
    }

    private void rebuildRecent() {
        recentMenu.getItems().clear();
        for (String t : model.recentTargets()) {
            MenuItem i = new MenuItem(t);
            i.setMnemonicParsing(false);
            i.setOnAction(e -> model.open(t));
            recentMenu.getItems().add(i);
        }
        recentMenu.setDisable(recentMenu.getItems().isEmpty());
    }

    void openDialog() {
        new OpenTargetDialog(stage, List.copyOf(model.recentTargets()), scene.getStylesheets())
            .showAndWait().ifPresent(this::openAny);
    }

    // ---- sessions ----

    private void bindTitle(TargetModel m) {
        stage.titleProperty().unbind();
        javafx.beans.value.ObservableValue<String> target = m == null ? new javafx.beans.property.SimpleStringProperty("") : m.titleProperty();
        stage.titleProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
            () -> (model.dirtyProperty().get() ? "*" : "") + model.sessionNameProperty().get()
                + (target.getValue().isEmpty() ? "" : " — " + target.getValue()) + " — nbdscope",
            model.dirtyProperty(), model.sessionNameProperty(), target));
    }

    /** Opens what the user gave (command line, drop, dialog): a session file ({@code .nbdscope}) or a target. */
    void openAny(String t) {
        if (AppModel.isSessionFile(t)) openSession(Path.of(t));
        else model.open(t);
    }

    /** Opens a session file in place of the current one, first asking about unsaved changes. */
    void openSession(Path p) {
        afterUnsavedChanges("Save the current session before opening " + p.getFileName() + "?", () -> model.openSession(p));
    }

    private void openSessionDialog() {
        FileChooser fc = sessionChooser("Open session");
        File f = fc.showOpenDialog(stage);
        if (f != null) openSession(f.toPath());
    }

    /** Saves to the session's file (a new session asks for one first), then runs {@code after} when it worked. */
    void save(Runnable after) {
        if (model.sessionFileProperty().get() == null) {
            saveAs(after);
            return;
        }
        model.save().thenAccept(ok -> {
            if (ok && after != null) after.run();
        });
    }

    void saveAs(Runnable after) {
        FileChooser fc = sessionChooser("Save session as");
        Path current = model.sessionFileProperty().get();
        fc.setInitialFileName(current != null ? current.getFileName().toString() : "session" + AppModel.SESSION_SUFFIX);
        File f = fc.showSaveDialog(stage);
        if (f == null) return;
        Path p = f.toPath();
        if (!AppModel.isSessionFile(p.toString())) p = p.resolveSibling(p.getFileName() + AppModel.SESSION_SUFFIX);
        model.saveAs(p).thenAccept(ok -> {
            if (ok && after != null) after.run();
        });
    }

    private FileChooser sessionChooser(String title) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("nbdscope sessions", "*" + AppModel.SESSION_SUFFIX));
        Path current = model.sessionFileProperty().get();
        if (current != null && current.toAbsolutePath().getParent() != null) fc.setInitialDirectory(current.toAbsolutePath().getParent().toFile());
        return fc;
    }

    /**
     * Closes the window, first asking about unsaved changes (Save, Don't Save, Cancel). The Quit menu and the
     * window's close button both come here.
     */
    void requestClose() {
        afterUnsavedChanges("Save the session before closing?", () -> {
            model.closedCleanly();
            stage.close();
        });
    }

    /** Runs {@code then} now when nothing is unsaved, else after the user saved or chose not to; never when cancelled. */
    private void afterUnsavedChanges(String question, Runnable then) {
        if (!model.hasUnsavedWork()) {
            then.run();
            return;
        }
        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.YES);
        ButtonType discard = new ButtonType("Don't Save", ButtonBar.ButtonData.NO);
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, "", save, discard, ButtonType.CANCEL);
        a.initOwner(stage);
        a.getDialogPane().getStylesheets().setAll(scene.getStylesheets());
        a.getDialogPane().setId("unsaved-dialog");
        a.setTitle("Unsaved changes");
        a.setHeaderText(question);
        a.setContentText(model.sessionNameProperty().get() + " has changes that are not saved: "
            + model.unsavedSummary() + ". If you don't save, they are lost.");
        ((Button) a.getDialogPane().lookupButton(save)).setId("unsaved-save");
        ((Button) a.getDialogPane().lookupButton(discard)).setId("unsaved-discard");
        ((Button) a.getDialogPane().lookupButton(ButtonType.CANCEL)).setId("unsaved-cancel");
        // shown without waiting, so nothing nests an event loop; the answer arrives as the result
        a.resultProperty().addListener((o, old, r) -> {
            if (r == save) save(then);
            else if (r == discard) then.run();
        });
        a.show();
    }

    private void rebuildRecentSessions() {
        recentSessionsMenu.getItems().clear();
        for (String f : model.recentSessions()) {
            MenuItem i = new MenuItem(f);
            i.setMnemonicParsing(false);
            i.setOnAction(e -> openSession(Path.of(f)));
            recentSessionsMenu.getItems().add(i);
        }
        recentSessionsMenu.setDisable(recentSessionsMenu.getItems().isEmpty());
    }

    /** At start (not in tests or smoke mode): offers the autosaved session of a run that did not close cleanly. */
    void offerRecovery() {
        model.recoverable().thenAccept(found -> found.ifPresent(r -> {
            ButtonType recover = new ButtonType("Recover", ButtonBar.ButtonData.YES);
            ButtonType discard = new ButtonType("Discard", ButtonBar.ButtonData.NO);
            Alert a = new Alert(Alert.AlertType.CONFIRMATION, "", recover, discard);
            a.initOwner(stage);
            a.getDialogPane().getStylesheets().setAll(scene.getStylesheets());
            a.getDialogPane().setId("recover-dialog");
            a.setTitle("Recover session");
            a.setHeaderText("Recover the session autosaved " + r.when() + "?");
            a.setContentText("nbdscope did not close cleanly last time. The autosaved session holds "
                + r.summary() + ". Recover opens it as an untitled session; Discard deletes it.");
            a.resultProperty().addListener((o, old, b) -> {
                if (b == recover) model.recover(r);
                else if (b == discard) model.discardRecovery(r);
            });
            a.show();
        }));
    }

    // ---- exports ----

    private void withChanges(boolean next) {
        TargetModel m = model.selectedProperty().get();
        TargetView v = m == null ? null : viewOf(m);
        if (v == null) return;
        v.showChanges();
        if (next) m.changes().next();
        else m.changes().previous();
    }

    private void exportPng() {
        TargetModel m = model.selectedProperty().get();
        if (m == null || m.heatMap() == null) return;
        HeatMapModel h = m.heatMap();
        new PngSizeDialog(stage, scene.getStylesheets(), Math.max(h.pixelWidth(), 1600), Math.max(h.pixelHeight(), 1000))
            .showAndWait().ifPresent(size -> {
                File f = exportChooser("Export the heat-map as PNG", m, "-heatmap.png", "PNG image", "*.png");
                if (f != null) model.export(m, AppModel.Export.PNG, f.toPath(), size[0], size[1]);
            });
    }

    private void exportExtents(AppModel.Export kind) {
        TargetModel m = model.selectedProperty().get();
        if (m == null || m.heatMap() == null) return;
        File f = switch (kind) {
            case CSV -> exportChooser("Export the extents as CSV", m, "-extents.csv", "CSV", "*.csv");
            case JSON -> exportChooser("Export the extents as nbdinfo JSON", m, "-extents.json", "JSON", "*.json");
            case HTML -> exportChooser("Export the report as HTML", m, "-report.html", "HTML", "*.html");
            case PNG -> null;
        };
        if (f != null) model.export(m, kind, f.toPath(), 0, 0);
    }

    private File exportChooser(String title, TargetModel m, String suffix, String what, String glob) {
        FileChooser fc = new FileChooser();
        fc.setTitle(title);
        fc.setInitialFileName(AppModel.fileNameFor(m) + suffix);
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(what, glob));
        return fc.showSaveDialog(stage);
    }

    private void showShortcuts() {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(stage);
        a.getDialogPane().getStylesheets().setAll(scene.getStylesheets());
        a.setTitle("Keyboard shortcuts");
        a.setHeaderText("Keyboard shortcuts");
        a.setContentText("""
            Ctrl+O          open a target
            Ctrl+Shift+O    open a session file (.nbdscope)
            Ctrl+S          save the session
            Ctrl+Shift+S    save the session as a new file
            Ctrl+E          export the heat-map as PNG
            Ctrl+Shift+E    export the report as HTML
            Ctrl+W          close the tab
            F5              rescan (a saved target: connect and show what changed)
            F8 / Shift+F8   next / previous changed region
            Esc             cancel the scan, the probe or make-zero
            Ctrl+Shift+P    probe the zero flag
            Ctrl+Shift+Z    make zero (or its plan, with Plan Only)
            Ctrl+Shift+C    compare both
            Ctrl+= / Ctrl+-  zoom in / out (or the mouse wheel)
            Ctrl+0          whole disk
            Ctrl+Q          quit
            Drag the heat-map to pan; click a cell to select its extents.""");
        a.getDialogPane().lookup(".content").setStyle("-fx-font-family: monospace;");
        a.show();
    }

    private void showAbout() {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(stage);
        a.getDialogPane().getStylesheets().setAll(scene.getStylesheets());
        a.setTitle("About nbdscope");
        String v = MainWindow.class.getPackage().getImplementationVersion();
        a.setHeaderText("nbdscope " + (v == null ? "dev" : v));
        a.setContentText("Block status, heat-maps, the zero flag and make-zero for NBD servers and disk images.\n\n"
            + "Java " + Runtime.version() + " · JavaFX " + System.getProperty("javafx.runtime.version"));
        a.show();
    }

    // ---- drag and drop ----

    private void dragOver(DragEvent e) {
        Dragboard d = e.getDragboard();
        if (d.hasFiles() || d.hasUrl() || d.hasString()) e.acceptTransferModes(TransferMode.COPY);
        e.consume();
    }

    private void dropped(DragEvent e) {
        Dragboard d = e.getDragboard();
        List<String> targets = DropTargets.of(d.hasFiles() ? d.getFiles().stream().map(File::toPath).toList() : List.of(),
            d.hasUrl() ? d.getUrl() : d.hasString() ? d.getString() : null);
        targets.forEach(this::openAny);
        e.setDropCompleted(!targets.isEmpty());
        e.consume();
    }

    // ---- window bounds ----

    private void placeWindow(AppSettings.WindowBounds b) {
        stage.setWidth(b.width());
        stage.setHeight(b.height());
        if (!Double.isNaN(b.x()) && !Double.isNaN(b.y())
            && !Screen.getScreensForRectangle(new Rectangle2D(b.x(), b.y(), Math.max(1, b.width()), Math.max(1, b.height()))).isEmpty()) {
            stage.setX(b.x());
            stage.setY(b.y());
        } else {
            stage.centerOnScreen();
        }
        stage.setMaximized(b.maximized());
    }
}
