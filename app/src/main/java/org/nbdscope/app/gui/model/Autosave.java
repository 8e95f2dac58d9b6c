package org.nbdscope.app.gui.model;

import java.time.Duration;

import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;

/**
 * The autosave clock: every {@link #interval()} on the FX thread it runs the app's autosave, which writes
 * only when the session has unsaved changes (and the write itself goes through the task runner). The interval
 * is {@value #DEFAULT_SECONDS} seconds, or the system property {@code nbdscope.autosave.seconds} (0 turns it off).
 */
public final class Autosave {
    public static final long DEFAULT_SECONDS = 60;

    private final Duration interval;
    private final Timeline timeline;

    Autosave(Runnable tick) {
        this(configured(), tick);
    }

    Autosave(Duration interval, Runnable tick) {
        this.interval = interval;
        if (interval.isZero() || interval.isNegative()) {
            timeline = null;
            return;
        }
        timeline = new Timeline(new KeyFrame(javafx.util.Duration.millis(interval.toMillis()), e -> tick.run()));
        timeline.setCycleCount(Animation.INDEFINITE);
    }

    public Duration interval() { return interval; }

    public void start() {
        if (timeline != null) timeline.play();
    }

    public void stop() {
        if (timeline != null) timeline.stop();
    }

    static Duration configured() {
        String s = System.getProperty("nbdscope.autosave.seconds");
        if (s == null || s.isBlank()) return Duration.ofSeconds(DEFAULT_SECONDS);
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(s.strip())));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(DEFAULT_SECONDS);
        }
    }
}
