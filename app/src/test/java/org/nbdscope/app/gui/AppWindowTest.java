package org.nbdscope.app.gui;

import java.nio.file.Path;

import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.app.gui.model.AppModel;
import org.nbdscope.app.gui.model.AppSettings;
import org.nbdscope.app.gui.model.TargetModel;
import org.nbdscope.app.gui.model.TargetOpener;
import org.nbdscope.app.gui.model.Theme;
import org.nbdscope.app.gui.task.FxTaskRunner;
import org.nbdscope.engine.nbd.server.NbdServer;
import org.testfx.framework.junit5.ApplicationExtension;

/**
 * The desktop window as the TestFX tests drive it (headless, Monocle): a 1280 x 820 window at the origin in the
 * light theme, with its own settings folder, shut down after each test, and an optional server of the test's
 * own that is closed after it. TestFX finds {@code @Start} and {@code @Stop} only on the test class itself, so
 * each test class declares both, calling {@link #startWindow} and {@link #stopWindow}.
 */
@ExtendWith(ApplicationExtension.class)
abstract class AppWindowTest {
    @TempDir
    static Path settingsDir;

    AppModel model;
    MainWindow window;
    FxTaskRunner runner;
    Stage stage;
    /** A server the test started, closed after the test. */
    NbdServer server;

    /** How this test's window opens targets: the test targets (demo, synthetic disks, NBD URIs) unless overridden. */
    TargetOpener opener() {
        return TestTargets.opener();
    }

    /** Adjusts the model before the window is built. */
    void configure(AppModel model) {}

    /** Builds and shows the window: call it from the test class's own {@code @Start} method (TestFX looks there only). */
    void startWindow(Stage stage) {
        this.stage = stage;
        runner = new FxTaskRunner();
        model = new AppModel(opener(), runner, AppSettings.load(settingsDir));
        configure(model);
        model.themeProperty().set(Theme.LIGHT);
        window = new MainWindow(stage, model);
        stage.setMaximized(false);
        stage.setX(0);
        stage.setY(0);
        stage.setWidth(1280);
        stage.setHeight(820);
        stage.show();
    }

    /** Shuts the model down: call it from the test class's own {@code @Stop} method. */
    void stopWindow() {
        model.shutdown();
        runner.shutdown();
    }

    @AfterEach
    void stopServer() {
        if (server != null) server.close();
    }

    TargetModel open(String target) {
        return Fx.call(() -> model.open(target));
    }

    /** Opens a target and waits until its scan is complete. */
    TargetModel openComplete(String target) {
        TargetModel t = open(target);
        Fx.waitFor(target + " scanned", () -> t.state() == TargetModel.State.COMPLETE);
        return t;
    }
}
