package org.nbdscope.app;

import org.nbdscope.app.gui.model.TargetOpener;
import org.nbdscope.app.synthetic.SyntheticDisk;
import org.nbdscope.engine.source.SourceException;

/**
 * Where the desktop app gets its targets from: the one place that turns a target string into a
 * {@code BlockSource}.
 *
 * <p>Until the NBD client ({@code Sources.open}) and the built-in server's demo disk are merged, {@code demo}
 * opens the in-process {@link SyntheticDisk} and any other target is refused with a message saying so.
 */
public final class AppTargets {
    private AppTargets() {}

    public static TargetOpener standard() {
        return target -> {
            if (TargetOpener.DEMO.equals(target)) return SyntheticDisk.demo();
            throw new SourceException("cannot open " + target + ": this build of nbdscope has no NBD client or image reader");
        };
    }
}
