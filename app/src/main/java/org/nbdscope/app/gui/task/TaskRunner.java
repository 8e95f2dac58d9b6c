package org.nbdscope.app.gui.task;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;

/**
 * The one way the app does work off the FX thread and comes back to it. View models never start threads
 * or call {@code Platform.runLater} themselves: opening a target, closing it and saving settings go
 * through {@link #background}, and engine callbacks reach the view through a {@link Coalescer}, so the
 * FX thread never waits on I/O and sees at most one update per frame.
 */
public interface TaskRunner {

    /** Runs blocking work (network, disk) on a background thread. */
    <T> CompletableFuture<T> background(String name, Callable<T> work);

    /** Runs {@code action} on the FX thread later; never blocks the caller. */
    void onFx(Runnable action);

    /**
     * A publisher for {@code publish}: any thread may {@link Coalescer#request() request} it as often as it
     * likes; {@code publish} then runs once on the FX thread at the next frame.
     */
    Coalescer coalescer(Runnable publish);

    /** Stops the background threads (at exit). */
    void shutdown();
}
