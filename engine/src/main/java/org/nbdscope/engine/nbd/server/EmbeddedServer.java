package org.nbdscope.engine.nbd.server;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;

import org.nbdscope.engine.nbd.server.backend.Backend;
import org.nbdscope.engine.nbd.server.backend.DemoBackend;

/**
 * The built-in server the app and {@code nbdscope map demo} use when no server is at hand: the demo disk
 * (or any backend) on a free loopback port or a private Unix socket, with every feature on and no idle
 * timeout.
 */
public final class EmbeddedServer {
    private EmbeddedServer() {}

    /** Export name of the demo disk. */
    public static final String DEMO_EXPORT = "demo";

    /** Starts the demo disk on a free loopback TCP port. Close the returned server when done. */
    public static NbdServer startDemo() throws IOException {
        return start(DEMO_EXPORT, new DemoBackend(), false);
    }

    /** Starts the demo disk on a Unix socket in a new private temporary directory. */
    public static NbdServer startDemoOnUnixSocket() throws IOException {
        return start(DEMO_EXPORT, new DemoBackend(), true);
    }

    /** Serves one backend on a free loopback port (or a private Unix socket); the server owns the backend. */
    public static NbdServer start(String exportName, Backend backend, boolean unixSocket) throws IOException {
        // a private server for this process: no idle timeout, the app may keep a connection open while it shows a map
        NbdServer.Builder b = NbdServer.builder().export(exportName, backend, backend.description(), false)
            .options(ServerOptions.defaults().withIdleTimeout(Duration.ZERO));
        if (unixSocket) {
            b.unixSocketInPrivateDirectory();
        } else {
            b.tcp(InetAddress.getLoopbackAddress(), 0);
        }
        return b.start();
    }
}
