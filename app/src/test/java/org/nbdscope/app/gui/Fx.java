package org.nbdscope.app.gui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import org.testfx.util.WaitForAsyncUtils;

/** Test helpers: run on the FX thread, wait for a condition checked there, save screenshots. */
final class Fx {
    /** Generous: the machine is shared; nothing here asserts on time. */
    static final int WAIT_SECONDS = 90;

    private Fx() {}

    static <T> T call(Callable<T> c) {
        try {
            return WaitForAsyncUtils.asyncFx(c).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("FX call failed: " + e, e);
        }
    }

    static void run(Runnable r) {
        call(() -> {
            r.run();
            return null;
        });
    }

    /** Waits until {@code cond}, evaluated on the FX thread, holds. */
    static void waitFor(String what, BooleanSupplier cond) {
        try {
            WaitForAsyncUtils.waitFor(WAIT_SECONDS, TimeUnit.SECONDS, () -> call(cond::getAsBoolean));
        } catch (Exception e) {
            throw new AssertionError("timed out waiting for " + what, e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    static Path screenshotDir() {
        return Path.of(System.getProperty("nbdscope.screenshots", "target/screenshots"));
    }

    /** Saves the scene as {@code target/screenshots/NAME.png}. */
    static Path screenshot(Scene scene, String name) {
        WaitForAsyncUtils.waitForFxEvents();
        return save(Fx.call(() -> scene.snapshot(null)), name);
    }

    static Path screenshot(Node node, String name) {
        WaitForAsyncUtils.waitForFxEvents();
        return save(Fx.call(() -> node.snapshot(null, null)), name);
    }

    private static Path save(WritableImage img, String name) {
        int[] px = Fx.call(() -> PngImages.argb(img));
        Path p = screenshotDir().resolve(name + ".png");
        try {
            Files.createDirectories(p.getParent());
            PngImages.write(p, px, (int) img.getWidth(), (int) img.getHeight());
        } catch (IOException e) {
            throw new IllegalStateException("cannot save " + p, e);
        }
        return p;
    }
}
