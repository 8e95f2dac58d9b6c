package org.nbdscope.engine.zero;

/**
 * Progress and cancellation for a probe or make-zero run. Called on the thread that runs the job; a view
 * should note the figures and redraw at most once per frame.
 */
public interface ZeroMonitor {
    /** Something the user should see before it happens ("reading 1 TiB: costly"), or a phase change. */
    default void notice(String message) {}

    /** {@code done} of {@code total} bytes handled in the current phase. */
    default void progress(String phase, long done, long total) {}

    /** Polled between requests: true stops the job, which then reports what it did so far. */
    default boolean cancelled() { return false; }

    ZeroMonitor NONE = new ZeroMonitor() {};
}
