package org.nbdscope.app.gui.task;

/** Gathers update requests from any thread into at most one FX-thread publication per frame. */
@FunctionalInterface
public interface Coalescer {
    /** Marks the view state dirty; cheap and safe from any thread, as often as the engine likes. */
    void request();
}
