package org.nbdscope.app.gui.task;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import javafx.animation.AnimationTimer;
import javafx.application.Platform;

/**
 * {@link TaskRunner} on virtual threads, publishing through one {@link AnimationTimer} that runs only
 * while some coalescer is dirty: each dirty coalescer publishes once in the next pulse, then the timer
 * stops until the next request.
 */
public final class FxTaskRunner implements TaskRunner {
    private final ExecutorService pool = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("nbdscope-task-", 0).factory());
    private final ConcurrentLinkedQueue<FrameCoalescer> due = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private final AnimationTimer timer = new AnimationTimer() {
        @Override
        public void handle(long now) {
            pulse();
        }
    };

    @Override
    public <T> CompletableFuture<T> background(String name, Callable<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        pool.execute(() -> {
            Thread.currentThread().setName("nbdscope-" + name);
            try {
                f.complete(work.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
        return f;
    }

    @Override
    public void onFx(Runnable action) {
        Platform.runLater(action);
    }

    @Override
    public Coalescer coalescer(Runnable publish) {
        return new FrameCoalescer(publish);
    }

    @Override
    public void shutdown() {
        pool.shutdownNow();
    }

    private void pulse() {
        List<FrameCoalescer> now = new ArrayList<>();
        for (FrameCoalescer c; (c = due.poll()) != null; ) now.add(c);
        for (FrameCoalescer c : now) c.publishIfDirty();
        if (now.isEmpty()) {
            timer.stop();
            ticking.set(false);
            // a request may have slipped in between the poll and the flag
            if (!due.isEmpty()) wake();
        }
    }

    private void wake() {
        if (ticking.compareAndSet(false, true)) Platform.runLater(timer::start);
    }

    private final class FrameCoalescer implements Coalescer {
        private final AtomicBoolean dirty = new AtomicBoolean();
        private final Runnable publish;

        FrameCoalescer(Runnable publish) { this.publish = publish; }

        @Override
        public void request() {
            if (dirty.compareAndSet(false, true)) {
                due.add(this);
                wake();
            }
        }

        void publishIfDirty() {
            if (dirty.getAndSet(false)) publish.run();
        }
    }
}
