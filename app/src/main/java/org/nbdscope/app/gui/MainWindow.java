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
import javafx.scene.image.WritableImage;
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
    private final Menu recentMenu = new Menu("Open Recent");
    private final Scene scene;
    private MenuItem closeTab, saveImage, rescan, cancelScan, zoomIn, zoomOut, fit, probeZero, makeZero, compareBoth, cancelZero;
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
        stage.titleProperty().unbind();
        stage.setTitle("nbdscope");
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
            stage.titleProperty().unbind();
            if (m == null) stage.setTitle("nbdscope");
            else stage.titleProperty().bind(javafx.beans.binding.Bindings.concat("nbdscope — ", m.titleProperty()));
            refreshActions();
        });
        model.notices().addListener((ListChangeListener<Notice>) c -> {
            while (c.next()) for (Notice n : c.getAddedSubList()) show(n);
        });
        model.recentTargets().addListener((ListChangeListener<String>) c -> rebuildRecent());
        rebuildRecent();
        refreshActions();

        // the other keys people press for zoom: Ctrl and + (shifted or on the keypad), Ctrl and keypad -
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.PLUS, KeyCombination.SHORTCUT_DOWN), () -> withHeat(HeatMapModel::zoomIn));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.ADD, KeyCombination.SHORTCUT_DOWN), () -> withHeat(HeatMapModel::zoomIn));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.SUBTRACT, KeyCombination.SHORTCUT_DOWN), () -> withHeat(HeatMapModel::zoomOut));
        scene.setOnDragOver(this::dragOver);
        scene.setOnDragDropped(this::dropped);
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
        MenuItem open = item("Open…", new KeyCodeCombination(KeyCode.O, KeyCombination.SHORTCUT_DOWN), this::openDialog);
        closeTab = item("Close Tab", new KeyCodeCombination(KeyCode.W, KeyCombination.SHORTCUT_DOWN), () -> {
            TargetModel m = model.selectedProperty().get();
            if (m != null) model.close(m);
        });
        saveImage = item("Save Heat-map Image…", new KeyCodeCombination(KeyCode.S, KeyCombination.SHORTCUT_DOWN, KeyCombination.SHIFT_DOWN), this::saveImage);
        MenuItem quit = item("Quit", new KeyCodeCombination(KeyCode.Q, KeyCombination.SHORTCUT_DOWN), stage::close);
        Menu file = new Menu("File", null, open, recentMenu, closeTab, new SeparatorMenuItem(), saveImage, new SeparatorMenuItem(), quit);

        rescan = item("Rescan", new KeyCodeCombination(KeyCode.F5), () -> withTarget(TargetModel::rescan));
        cancelScan = item("Cancel Scan", new KeyCodeCombination(KeyCode.ESCAPE), () -> withTarget(m -> {
            m.cancel();
            m.compare().cancel();
        }));
        Menu scan = new Menu("Scan", null, rescan, cancelScan);

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

        MenuBar bar = new MenuBar(file, scan, zero, view, help);
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
        saveImage.setDisable(!hasMap);
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
            .showAndWait().ifPresent(model::open);
    }

    private void saveImage() {
        TargetModel m = model.selectedProperty().get();
        TargetView v = m == null ? null : viewOf(m);
        if (v == null || v.heatMapView() == null || v.heatMapView().image() == null) return;
        FileChooser fc = new FileChooser();
        fc.setTitle("Save heat-map image");
        fc.setInitialFileName("heat-map.png");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
        File f = fc.showSaveDialog(stage);
        if (f == null) return;
        WritableImage img = v.heatMapView().image();
        int[] px = PngImages.argb(img);
        int w = (int) img.getWidth(), h = (int) img.getHeight();
        Path p = f.toPath();
        model.runner().background("save-image", () -> {
            PngImages.write(p, px, w, h);
            return null;
        }).whenComplete((x, e) -> model.runner().onFx(() -> model.report(e == null
            ? new Notice(Notice.Severity.INFO, "Saved", "heat-map image " + p)
            : Notice.error("Cannot save " + p, e))));
    }

    private void showShortcuts() {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.initOwner(stage);
        a.getDialogPane().getStylesheets().setAll(scene.getStylesheets());
        a.setTitle("Keyboard shortcuts");
        a.setHeaderText("Keyboard shortcuts");
        a.setContentText("""
            Ctrl+O          open a target
            Ctrl+W          close the tab
            Ctrl+Shift+S    save the heat-map as PNG
            F5              rescan
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
        targets.forEach(model::open);
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
