package org.nbdscope.app.gui;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javafx.animation.AnimationTimer;
import javafx.animation.PauseTransition;
import javafx.scene.image.WritableImage;

import org.nbdscope.app.gui.model.AppModel;
import org.nbdscope.app.gui.model.TargetModel;

/**
 * {@code nbdscope --smoke}: waits until every open target has scanned completely, lets two frames render,
 * writes the window as a PNG if asked, and reports 0; any failure, cancellation or the timeout reports 1.
 */
final class SmokeRun {
    /** Told the exit code and a message once. */
    interface Outcome {
        void finish(int code, String message);
    }

    private final MainWindow window;
    private final AppModel model;
    private final Path screenshot;
    private final Duration timeout;
    private final Outcome outcome;
    private final PauseTransition timer = new PauseTransition();
    private boolean finished;

    SmokeRun(MainWindow window, AppModel model, Path screenshot, Duration timeout, Outcome outcome) {
        this.window = window;
        this.model = model;
        this.screenshot = screenshot;
        this.timeout = timeout;
        this.outcome = outcome;
    }

    void start() {
        timer.setDuration(javafx.util.Duration.millis(timeout.toMillis()));
        timer.setOnFinished(e -> finish(1, "smoke: the scan did not finish within " + timeout.toSeconds() + " s"));
        timer.play();
        for (TargetModel m : model.targets()) m.stateProperty().addListener((o, a, s) -> check());
        // a session file given on the command line opens its tabs once it is read
        model.targets().addListener((javafx.collections.ListChangeListener<TargetModel>) c -> {
            while (c.next()) for (TargetModel m : c.getAddedSubList()) m.stateProperty().addListener((o, a, s) -> check());
            check();
        });
        model.openingSessionProperty().addListener((o, a, b) -> check());
        check();
    }

    private void check() {
        if (finished) return;
        List<TargetModel> ts = List.copyOf(model.targets());
        if (ts.isEmpty()) {
            if (model.openingSessionProperty().get()) return;
            finish(1, "smoke: no target is open" + (model.notices().isEmpty() ? "" : ": " + model.notices().getLast().text()));
            return;
        }
        for (TargetModel m : ts) {
            switch (m.state()) {
                case FAILED, CANCELLED, CLOSED -> {
                    finish(1, "smoke: " + m.target() + ": " + m.statusTextProperty().get());
                    return;
                }
                case CONNECTING, SCANNING -> {
                    return;
                }
                case COMPLETE, SAVED -> { }
            }
        }
        timer.stop();
        afterFrames(2, this::capture);
    }

    private void capture() {
        StringBuilder summary = new StringBuilder("smoke: ok");
        for (TargetModel m : model.targets()) summary.append("\n  ").append(m.titleProperty().get()).append(": ").append(m.statusTextProperty().get());
        long frame = HeatMapView.firstFrameNanos;
        if (frame != 0) {
            long ago = (System.nanoTime() - frame) / 1_000_000;
            long jvm = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() - ago;
            // the wall-clock time too, so a script that notes when it launched us can measure the whole start
            // (the process's own start time is only known to the second: Linux counts it from boot, in whole seconds)
            summary.append("\n  first heat-map frame: ").append(jvm).append(" ms after JVM start (at ")
                .append(System.currentTimeMillis() - ago).append(" ms since the epoch)");
        }
        if (screenshot == null) {
            finish(0, summary.toString());
            return;
        }
        WritableImage img = window.scene().snapshot(null);
        int[] px = PngImages.argb(img);
        int w = (int) img.getWidth(), h = (int) img.getHeight();
        model.runner().background("screenshot", () -> {
            PngImages.write(screenshot, px, w, h);
            return null;
        }).whenComplete((v, e) -> model.runner().onFx(() -> {
            if (e != null) finish(1, "smoke: cannot write " + screenshot + ": " + org.nbdscope.app.gui.model.Notice.messageOf(e));
            else finish(0, summary + "\n  screenshot: " + screenshot.toAbsolutePath());
        }));
    }

    private void finish(int code, String msg) {
        if (finished) return;
        finished = true;
        timer.stop();
        outcome.finish(code, msg);
    }

    /** Runs {@code r} after {@code n} more pulses, so the last published frame is on screen. */
    static void afterFrames(int n, Runnable r) {
        new AnimationTimer() {
            private int left = n;

            @Override
            public void handle(long now) {
                if (--left > 0) return;
                stop();
                r.run();
            }
        }.start();
    }
}
