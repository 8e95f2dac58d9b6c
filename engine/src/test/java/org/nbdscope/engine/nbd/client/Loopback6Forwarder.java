package org.nbdscope.engine.nbd.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Accepts on [::1] and forwards each connection to 127.0.0.1:port, so IPv6 can be tested against any peer. */
final class Loopback6Forwarder implements AutoCloseable {
    private final ServerSocket server;
    private final int target;

    Loopback6Forwarder(int target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 4, InetAddress.getByName("::1"));
        Thread.ofVirtual().start(this::acceptLoop);
    }

    int port() { return server.getLocalPort(); }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                Socket out = new Socket();
                out.connect(new InetSocketAddress("127.0.0.1", target));
                Thread.ofVirtual().start(() -> pump(in, out));
                Thread.ofVirtual().start(() -> pump(out, in));
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(Socket from, Socket to) {
        try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
            i.transferTo(o);
        } catch (IOException e) {
            // the other side closed
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException { server.close(); }
}
