package org.nbdscope.app;

import org.nbdscope.app.gui.model.TargetOpener;
import org.nbdscope.engine.source.OpenOptions;
import org.nbdscope.engine.source.Sources;

/**
 * Where the desktop app gets its targets from: the one place that turns a target string into a
 * {@code BlockSource}, through the engine's {@link Sources#open}: {@code demo} is the built-in 1 TiB demo disk
 * served by the built-in server over a private Unix socket, and NBD URIs go to the NBD client.
 */
public final class AppTargets {
    private AppTargets() {}

    public static TargetOpener standard() {
        return target -> Sources.open(target, OpenOptions.defaults());
    }
}
