package org.nbdscope.app.gui;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.nbdscope.app.AppTargets;
import org.nbdscope.app.gui.model.TargetOpener;
import org.nbdscope.app.synthetic.SyntheticDisk;
import org.nbdscope.app.synthetic.SyntheticLayout;

/**
 * The targets the GUI tests open: the app's real opener ({@link AppTargets#standard()}) for {@code demo} (the
 * built-in demo disk through the built-in server) and NBD URIs (the NBD client), plus synthetic sources the real
 * ones cannot imitate on demand: the layout answering slowly ({@code slow}) or failing at 300 GiB
 * ({@code failing}).
 */
final class TestTargets {
    static final SyntheticLayout LAYOUT = SyntheticLayout.demo();

    private TestTargets() {}

    static TargetOpener opener() {
        TargetOpener real = AppTargets.standard();
        return target -> switch (target) {
            case "slow" -> new SyntheticDisk("slow", LAYOUT, new SyntheticDisk.Behaviour(400, 2048, 1, -1));
            case "failing" -> new SyntheticDisk("failing", LAYOUT,
                new SyntheticDisk.Behaviour(2, 2048, 4, -1).failingAt(300 * SyntheticLayout.GiB));
            default -> real.open(target);
        };
    }

    /** A loopback port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
