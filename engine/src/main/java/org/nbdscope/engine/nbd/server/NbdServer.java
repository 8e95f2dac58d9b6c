package org.nbdscope.engine.nbd.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.nbdscope.engine.nbd.NettyLogging;
import org.nbdscope.engine.nbd.server.backend.Backend;

/**
 * nbdscope's own NBD server on Netty: TCP or a Unix socket, several exports, fixed newstyle handshake with
 * structured replies, extended headers, {@code base:allocation}, STARTTLS and the zero flag
 * ({@code NBD_INFO_INIT_STATE}). Start one with {@link #builder()}; {@link #close()} stops it and closes
 * its backends.
 *
 * <pre>{@code
 * try (NbdServer s = NbdServer.builder()
 *         .export("disk", new MemoryBackend(1L << 40), "scratch", false)
 *         .start()) {
 *     String uri = s.uri("disk"); // nbd://127.0.0.1:PORT/disk
 * }
 * }</pre>
 */
public final class NbdServer implements AutoCloseable {
    static {
        NettyLogging.install();
    }

    private static final System.Logger LOG = ServerContext.LOG;

    private final ServerContext context;
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final ChannelGroup channels;
    private final InetSocketAddress address;
    private final Path socketPath;
    private final boolean ownsSocketDir;
    private volatile boolean closed;

    private NbdServer(ServerContext context, EventLoopGroup group, Channel serverChannel, ChannelGroup channels,
                      InetSocketAddress address, Path socketPath, boolean ownsSocketDir) {
        this.context = context;
        this.group = group;
        this.serverChannel = serverChannel;
        this.channels = channels;
        this.address = address;
        this.socketPath = socketPath;
        this.ownsSocketDir = ownsSocketDir;
    }

    public static Builder builder() { return new Builder(); }

    /** The bound TCP port, or -1 on a Unix socket. */
    public int port() { return address == null ? -1 : address.getPort(); }

    /** The bound TCP address, or null on a Unix socket. */
    public InetSocketAddress address() { return address; }

    /** The Unix socket path, or null on TCP. */
    public Path socketPath() { return socketPath; }

    public boolean tls() { return context.options.tls(); }

    public ServerOptions options() { return context.options; }

    public List<Export> exports() { return context.exports; }

    /** The URI of the first (default) export. */
    public String uri() { return uri(context.exports.getFirst().name()); }

    /**
     * The NBD URI of an export: {@code nbd://HOST:PORT/NAME} (a wildcard bind address becomes the loopback
     * address), or {@code nbd+unix:///NAME?socket=PATH}; {@code nbds} when TLS is required.
     */
    public String uri(String exportName) {
        String scheme = tls() ? "nbds" : "nbd";
        String name = encode(exportName);
        if (socketPath != null) return scheme + "+unix:///" + name + "?socket=" + socketPath;
        InetAddress a = address.getAddress();
        if (a.isAnyLocalAddress()) a = InetAddress.getLoopbackAddress();
        String host = a.getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        return scheme + "://" + host + ":" + address.getPort() + "/" + name;
    }

    private static String encode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) b.append((char) c);
            else b.append('%').append(String.format("%02X", c));
        }
        return b.toString();
    }

    /** Where it listens, for humans: "127.0.0.1:10809" or the socket path. */
    public String where() {
        return socketPath != null ? socketPath.toString()
            : (address.getAddress().getHostAddress().contains(":") ? "[" + address.getAddress().getHostAddress() + "]" : address.getAddress().getHostAddress())
                + ":" + address.getPort();
    }

    /** Records of the most recent connections (up to 1000), oldest first. */
    public List<ConnectionRecord> connections() { return context.records(); }

    /** Connections open right now. */
    public int activeConnections() { return context.active.get(); }

    /** Stops listening, closes every connection and every backend. Idempotent. */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        channels.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
        Set<Backend> seen = new HashSet<>();
        for (Export e : context.exports) {
            if (!seen.add(e.backend())) continue;
            try {
                e.backend().close();
            } catch (IOException ex) {
                LOG.log(System.Logger.Level.DEBUG, "closing " + e.backend().description() + ": " + ex.getMessage());
            }
        }
        if (socketPath != null) {
            try {
                Files.deleteIfExists(socketPath);
                if (ownsSocketDir) Files.deleteIfExists(socketPath.getParent());
            } catch (IOException ex) {
                LOG.log(System.Logger.Level.DEBUG, "removing " + socketPath + ": " + ex.getMessage());
            }
        }
    }

    /** Configures and starts an {@link NbdServer}. */
    public static final class Builder {
        private final List<Export> exports = new ArrayList<>();
        private ServerOptions options = ServerOptions.defaults();
        private InetAddress bind = InetAddress.getLoopbackAddress();
        private int port = 0;
        private Path socket;
        private boolean ownsSocketDir;
        private int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

        private Builder() {}

        /** Listen on TCP {@code bind:port}; port 0 picks a free port (see {@link #port()}). Default: loopback, free port. */
        public Builder tcp(InetAddress bind, int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is out of range 0..65535");
            this.bind = bind;
            this.port = port;
            this.socket = null;
            this.ownsSocketDir = false;
            return this;
        }

        /** Listen on a Unix domain socket at {@code path} instead of TCP. */
        public Builder unixSocket(Path path) {
            this.socket = path;
            this.ownsSocketDir = false;
            return this;
        }

        /**
         * Listen on a Unix socket in a new private temporary directory ({@code nbdscope-*}, mode 0700), which
         * the server removes with its socket when it closes: nothing is left behind even when the process then
         * halts without running exit hooks.
         */
        public Builder unixSocketInPrivateDirectory() throws IOException {
            this.socket = Files.createTempDirectory("nbdscope-").resolve("nbd.sock");
            this.ownsSocketDir = true;
            return this;
        }

        /** Adds an export; the first one is also the default export (the empty name). */
        public Builder export(String name, Backend backend, String description, boolean readOnly) {
            for (Export e : exports) {
                if (e.name().equals(name)) throw new IllegalArgumentException("two exports are named '" + name + "'");
            }
            exports.add(new Export(name, backend, description, readOnly));
            return this;
        }

        public Builder export(String name, Backend backend) {
            return export(name, backend, backend.description(), false);
        }

        public Builder options(ServerOptions options) {
            this.options = options;
            return this;
        }

        public Builder extendedHeaders(boolean on) { options = options.withExtendedHeaders(on); return this; }

        public Builder structuredReplies(boolean on) { options = options.withStructuredReplies(on); return this; }

        public Builder initState(boolean on) { options = options.withInitState(on); return this; }

        public Builder fastZero(boolean on) { options = options.withFastZero(on); return this; }

        /** Requires TLS with this PEM certificate and PKCS#8 PEM private key. */
        public Builder tls(Path certificate, Path key) { options = options.withTls(certificate, key); return this; }

        /** Event-loop threads (default 2 to 4). */
        public Builder ioThreads(int n) {
            if (n < 1) throw new IllegalArgumentException("ioThreads " + n + " must be at least 1");
            this.threads = n;
            return this;
        }

        /** Binds and starts serving. Fails with a message naming the address, socket or TLS file at fault. */
        public NbdServer start() throws IOException {
            if (exports.isEmpty()) throw new IllegalStateException("an NBD server needs at least one export");
            SslContext ssl = null;
            if (options.tls()) {
                try {
                    ssl = SslContextBuilder.forServer(options.tlsCertificate().toFile(), options.tlsKey().toFile()).build();
                } catch (Exception e) {
                    throw new IOException("cannot load TLS certificate " + options.tlsCertificate() + " and key " + options.tlsKey()
                        + " (PEM, key in PKCS#8): " + e.getMessage(), e);
                }
            }
            ServerContext ctx = new ServerContext(exports, options, ssl);
            boolean epoll = Epoll.isAvailable();
            IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("nbdscope-server", true), io);
            ChannelGroup channels = new DefaultChannelGroup("nbd-connections", GlobalEventExecutor.INSTANCE);
            Class<? extends ServerChannel> type = socket != null
                ? (epoll ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class)
                : (epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class);
            ServerBootstrap b = new ServerBootstrap().group(group).channel(type)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 4 << 20))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        initConnection(ch, ctx, channels);
                    }
                });
            if (socket == null) b.childOption(ChannelOption.TCP_NODELAY, true);
            try {
                Channel ch;
                if (socket != null) {
                    clearStaleSocket(socket);
                    ch = b.bind(epoll ? new DomainSocketAddress(socket.toFile()) : UnixDomainSocketAddress.of(socket)).sync().channel();
                } else {
                    ch = b.bind(new InetSocketAddress(bind, port)).sync().channel();
                }
                InetSocketAddress addr = socket == null ? (InetSocketAddress) ch.localAddress() : null;
                return new NbdServer(ctx, group, ch, channels, addr, socket, ownsSocketDir);
            } catch (Exception e) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                if (ownsSocketDir) Files.deleteIfExists(socket.getParent());
                String where = socket != null ? "Unix socket " + socket : bind.getHostAddress() + ":" + port;
                throw new IOException("cannot listen on " + where + ": " + e.getMessage(), e);
            } catch (Throwable t) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                throw t;
            }
        }

        /** A socket file nobody listens on is left over from a dead server: remove it. A live one is an error. */
        private static void clearStaleSocket(Path path) throws IOException {
            if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
            try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                c.connect(UnixDomainSocketAddress.of(path));
                throw new IOException(path + " is in use by a running server");
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().endsWith("in use by a running server")) throw e;
                Files.delete(path);
            }
        }
    }

    private static void initConnection(Channel ch, ServerContext ctx, ChannelGroup channels) {
        Object remote = ch.remoteAddress();
        ConnectionRecord record = ctx.newRecord(remote == null ? "unix socket" : remote.toString());
        Session session = new Session(ch, record, ctx);
        int n = ctx.active.incrementAndGet();
        ch.closeFuture().addListener(f -> ctx.active.decrementAndGet());
        channels.add(ch);
        String reject = n > ctx.options.maxConnections()
            ? "this server is at its limit of " + ctx.options.maxConnections() + " connections; try again later" : null;
        long idle = ctx.options.idleTimeout().toSeconds();
        var p = ch.pipeline();
        if (!ctx.options.idleTimeout().isZero()) {
            p.addLast("idle", new IdleStateHandler(true, 0, 0, ctx.options.idleTimeout().toMillis(), TimeUnit.MILLISECONDS));
        }
        p.addLast("handshake", new HandshakeHandler(ctx, session, reject));
        p.addLast("guard", new ConnectionGuard(session, idle));
    }
}
