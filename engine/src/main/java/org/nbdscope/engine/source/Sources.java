package org.nbdscope.engine.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.nbdscope.engine.image.ImageSources;

import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.client.NbdConnection;
import org.nbdscope.engine.nbd.server.EmbeddedServer;
import org.nbdscope.engine.nbd.server.backend.ByteSize;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.nbd.server.NbdServer;
import org.nbdscope.engine.nbd.client.ClientOptions;
import org.nbdscope.engine.nbd.client.HeaderMode;
import org.nbdscope.engine.nbd.client.NbdClient;

/**
 * Opens a target given as text: an image file (raw or qcow2, read-only), an NBD URI ({@code nbd://}, {@code nbds://}, {@code nbd+unix://},
 * {@code nbds+unix://}), {@code demo}: the built-in 1 TiB demo disk, served by an in-process server on a
 * private Unix socket that lives as long as the connection, or {@code memory:SIZE}: a new writable in-memory
 * disk served the same way.
 */
public final class Sources {
    private Sources() {}

    /** The target name of the built-in demo disk. */
    public static final String DEMO = "demo";

    /** Targets {@code memory:SIZE} open a new writable in-memory disk on the built-in server. */
    public static final String MEMORY_PREFIX = "memory:";

    /** The export name of a {@code memory:SIZE} target. */
    public static final String MEMORY_EXPORT = "memory";

    /** True for the targets the built-in server serves in process: {@code demo} and {@code memory:SIZE}. */
    public static boolean isBuiltIn(String target) {
        return DEMO.equals(target) || target.startsWith(MEMORY_PREFIX);
    }

    /**
     * Opens {@code target}. A malformed NBD URI fails with a {@link SourceException} naming the bad part;
     * anything that is not an NBD URI fails with "not an NBD URI: …".
     */
    public static BlockSource open(String target, OpenOptions opts) {
        if (DEMO.equals(target)) return openDemo(clientOptions(opts));
        if (target.startsWith(MEMORY_PREFIX)) return openMemory(target, clientOptions(opts));
        if (!NbdUri.looksLikeNbd(target)) {
            Path file = Path.of(target);
            if (Files.exists(file)) return ImageSources.open(file, opts.image());
            throw new SourceException("not an NBD URI, nor an existing file: " + target);
        }
        NbdUri uri;
        try {
            uri = NbdUri.parse(target);
        } catch (IllegalArgumentException e) {
            throw new SourceException(e.getMessage(), e);
        }
        return NbdClient.connect(uri, clientOptions(opts));
    }

    /** Starts the built-in server with the demo disk and connects to it through the real client and wire. */
    public static NbdConnection openDemo(ClientOptions options) {
        NbdServer server;
        try {
            server = EmbeddedServer.startDemoOnUnixSocket();
        } catch (IOException e) {
            throw new SourceException("cannot start the built-in demo server: " + e.getMessage(), e);
        }
        return connectBuiltIn(server, EmbeddedServer.DEMO_EXPORT, DEMO, options);
    }

    /**
     * {@code memory:SIZE} (e.g. {@code memory:1G}): a new, empty, writable sparse disk held in memory by the
     * built-in server on a private Unix socket, for trying writes (make-zero) without a real server. Its
     * export is named {@code memory}; the disk lives as long as the connection.
     */
    public static NbdConnection openMemory(String target, ClientOptions options) {
        long size;
        try {
            size = ByteSize.parse(target.substring(MEMORY_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new SourceException("bad target '" + target + "': " + e.getMessage() + " (write memory:SIZE, e.g. memory:1G)", e);
        }
        NbdServer server;
        try {
            server = EmbeddedServer.start(MEMORY_EXPORT, new MemoryBackend(size), true);
        } catch (IOException e) {
            throw new SourceException("cannot start the built-in server for " + target + ": " + e.getMessage(), e);
        }
        return connectBuiltIn(server, MEMORY_EXPORT, target, options);
    }

    private static NbdConnection connectBuiltIn(NbdServer server, String export, String name, ClientOptions options) {
        try {
            return NbdClient.connect(NbdUri.parse(server.uri(export)), options).closeWith(server).named(name);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The NBD client options matching {@code opts}. */
    public static ClientOptions clientOptions(OpenOptions opts) {
        return new ClientOptions(opts.connectTimeout(), opts.requestTimeout(), opts.contexts(), false,
            opts.tlsCertificates(), opts.tlsVerifyPeer(), opts.readOnly(), HeaderMode.EXTENDED, true);
    }
}
