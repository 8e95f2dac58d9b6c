package org.nbdscope.app.gui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

import org.nbdscope.app.gui.task.Coalescer;
import org.nbdscope.app.gui.task.FxTaskRunner;

/** Engine callbacks from many threads reach the FX thread at most once per frame, and the last value always arrives. */
class FxTaskRunnerTest {
    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void requestsFromManyThreadsArePublishedAtMostOncePerFrame() throws Exception {
        FxTaskRunner runner = new FxTaskRunner();
        AtomicLong latest = new AtomicLong();
        AtomicLong published = new AtomicLong(-1);
        AtomicInteger publishes = new AtomicInteger();
        AtomicInteger frames = new AtomicInteger();
        List<String> offThread = new ArrayList<>();
        Coalescer c = runner.coalescer(() -> {
            if (!Platform.isFxApplicationThread()) offThread.add(Thread.currentThread().getName());
            publishes.incrementAndGet();
            published.set(latest.get());
        });
        AnimationTimer frameCounter = new AnimationTimer() {
            @Override
            public void handle(long now) { frames.incrementAndGet(); }
        };
        Fx.run(frameCounter::start);
        Thread[] ts = new Thread[4];
        for (int t = 0; t < ts.length; t++) {
            ts[t] = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 20_000; i++) {
                    latest.incrementAndGet();
                    c.request();
                }
            });
        }
        for (Thread t : ts) t.join();
        long last = latest.get();
        Fx.waitFor("the last value", () -> published.get() == last);
        Fx.run(frameCounter::stop);
        assertThat(offThread).isEmpty();
        assertThat(publishes.get()).isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(frames.get() + 1);
        assertThat(publishes.get()).as("80,000 requests coalesced").isLessThan(80_000);
        runner.shutdown();
    }

    @Test
    void backgroundWorkRunsOffTheFxThread() throws Exception {
        FxTaskRunner runner = new FxTaskRunner();
        boolean onFx = runner.background("probe", Platform::isFxApplicationThread).get();
        assertThat(onFx).isFalse();
        runner.shutdown();
    }
}
