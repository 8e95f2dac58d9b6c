package org.nbdscope.app.gui;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import javafx.application.Platform;
import javafx.stage.Stage;

import org.nbdscope.app.gui.model.AppModel;
import org.nbdscope.app.gui.model.AppSettings;
import org.nbdscope.app.gui.model.PrefetchingOpener;
import org.nbdscope.app.gui.model.TargetOpener;
import org.nbdscope.app.gui.task.FxTaskRunner;

/**
 * Starts the desktop app from a plain {@code main} (JavaFX on the class path, no {@code Application}
 * subclass) and blocks until its window closes. Arguments that name {@code .nbdscope} files open as sessions. In smoke mode it opens the demo (or the given targets),
 * waits for every scan to complete, writes the screenshot if asked, and exits by itself.
 */
public final class GuiLauncher {
    /** How the app was asked to run. */
    public record Options(List<String> targets, boolean smoke, Path screenshot, Duration timeout) {}

    private GuiLauncher() {}

    /**
     * Runs the app; returns the exit code: 0 when the window was closed (or the smoke run passed), 1 when
     * the app could not start or the smoke run failed, with the reason on {@code err}.
     */
    public static int run(Options opts, TargetOpener opener, PrintStream err) {
        FxTaskRunner runner = new FxTaskRunner();
        // the targets start opening now, while JavaFX starts (the demo's server and handshake take ~0.3 s)
        PrefetchingOpener early = new PrefetchingOpener(opener, runner,
            startTargets(opts).stream().filter(t -> !AppModel.isSessionFile(t)).toList());
        try {
            return runWindow(opts, early, runner, err);
        } finally {
            early.closeUnused();
        }
    }

    /** What the window opens at start: the given targets, or the demo. */
    private static List<String> startTargets(Options opts) {
        return opts.targets().isEmpty() ? List.of(TargetOpener.DEMO) : opts.targets();
    }

    private static int runWindow(Options opts, TargetOpener opener, FxTaskRunner runner, PrintStream err) {
        AppSettings settings = opts.smoke() ? AppSettings.transientSettings() : AppSettings.load(AppSettings.defaultDir());
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger exit = new AtomicInteger(0);
        AppModel[] model = new AppModel[1];
        Runnable start = () -> {
            try {
                Platform.setImplicitExit(false);
                Stage stage = new Stage();
                model[0] = new AppModel(opener, runner, settings);
                MainWindow w = new MainWindow(stage, model[0]);
                stage.setOnHidden(e -> done.countDown());
                stage.show();
                for (String t : startTargets(opts)) w.openAny(t);
                if (!opts.smoke() && opts.targets().isEmpty()) w.offerRecovery();
                if (opts.smoke()) new SmokeRun(w, model[0], opts.screenshot(), opts.timeout(), (code, msg) -> {
                    if (msg != null) (code == 0 ? System.out : err).println("nbdscope: " + msg);
                    exit.set(code);
                    stage.close();
                }).start();
            } catch (RuntimeException e) {
                err.println("nbdscope: the desktop app failed to start: " + org.nbdscope.app.gui.model.Notice.messageOf(e));
                exit.set(1);
                done.countDown();
            }
        };
        boolean ownPlatform = true;
        // JavaFX on the class path is deliberate (plain main, one jar set for CLI and GUI): keep its
        // "Unsupported JavaFX configuration" start-up warning off the user's terminal
        java.util.logging.Logger fxLog = java.util.logging.Logger.getLogger("javafx");
        java.util.logging.Level level = fxLog.getLevel();
        fxLog.setLevel(java.util.logging.Level.SEVERE);
        try {
            Platform.startup(start);
        } catch (IllegalStateException alreadyRunning) {
            ownPlatform = false;  // embedded (tests): leave the platform running for its owner
            Platform.runLater(start);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            err.println("nbdscope: cannot open the desktop app: " + org.nbdscope.app.gui.model.Notice.messageOf(e)
                + " (is there a display? the command line works without one: nbdscope --help)");
            return 1;
        } finally {
            fxLog.setLevel(level);
        }
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit.set(130);
        }
        CountDownLatch closed = new CountDownLatch(1);
        Platform.runLater(() -> {
            if (model[0] != null) model[0].shutdown();
            closed.countDown();
        });
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (model[0] != null) {
            model[0].finishAutosave();
            try {
                model[0].saveSettings();
            } catch (RuntimeException e) {
                err.println("nbdscope: " + e.getMessage());
            }
        }
        runner.shutdown();
        if (ownPlatform) Platform.exit();
        return exit.get();
    }
}
