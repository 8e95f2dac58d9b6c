package org.nbdscope.app.gui.model;

import org.nbdscope.engine.source.BlockSource;

/**
 * Turns what the user typed or dropped (an NBD URI, an image file path, {@code demo}) into an open
 * {@link BlockSource}. Called on a background thread; may block on the network. The app gets its opener
 * from {@code org.nbdscope.app.AppTargets#standard()}; tests pass their own.
 */
@FunctionalInterface
public interface TargetOpener {
    /** The target that opens the built-in demo disk, used when the app starts without a target. */
    String DEMO = "demo";

    /**
     * Opens {@code target}.
     *
     * @throws Exception with a message a user can read (it is shown as it is, never as a stack trace)
     */
    BlockSource open(String target) throws Exception;
}
