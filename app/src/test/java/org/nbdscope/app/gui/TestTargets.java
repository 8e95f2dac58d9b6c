package org.nbdscope.app.gui;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;

import org.nbdscope.app.gui.model.TargetOpener;
import org.nbdscope.app.synthetic.SyntheticDisk;
import org.nbdscope.app.synthetic.SyntheticLayout;
import org.nbdscope.engine.source.SourceException;

/**
 * The targets the GUI tests open: the demo layout answering fast ({@code demo}), slowly ({@code slow}),
 * or failing at 300 GiB ({@code failing}); and {@code nbd://127.0.0.1:PORT/...}, which really connects
 * over loopback and fails as an unreachable server does.
 */
final class TestTargets {
    static final SyntheticLayout LAYOUT = SyntheticLayout.demo();

    private TestTargets() {}

    static TargetOpener opener() {
        return target -> switch (target) {
            case "demo" -> new SyntheticDisk("demo", LAYOUT, new SyntheticDisk.Behaviour(1, 2048, 16, -1));
            case "slow" -> new SyntheticDisk("slow", LAYOUT, new SyntheticDisk.Behaviour(400, 2048, 1, -1));
            case "failing" -> new SyntheticDisk("failing", LAYOUT,
                new SyntheticDisk.Behaviour(2, 2048, 4, -1).failingAt(300 * SyntheticLayout.GiB));
            default -> connect(target);
        };
    }

    /** A loopback port nothing listens on. */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static SyntheticDisk connect(String target) {
        URI u = URI.create(target);
        if (!"nbd".equals(u.getScheme()) || !"127.0.0.1".equals(u.getHost())) {
            throw new SourceException("the tests open only loopback targets, not " + target);
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(u.getHost(), u.getPort()), 5000);
        } catch (IOException e) {
            throw new SourceException("cannot connect to " + u.getHost() + ":" + u.getPort(), e);
        }
        throw new SourceException(u.getHost() + ":" + u.getPort() + " accepted a connection but is no NBD server");
    }
}
