package org.nbdscope.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import org.nbdscope.engine.nbd.server.NbdServer;
import org.nbdscope.engine.nbd.server.ServerOptions;
import org.nbdscope.engine.nbd.server.backend.Backend;
import org.nbdscope.engine.nbd.server.backend.Backends;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nbdscope serve}: nbdscope's own NBD server, the one peer that sends the zero flag
 * ({@code NBD_INFO_INIT_STATE}). Prints one line with where it listens and the URIs to use, then serves
 * until Ctrl-C.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Serve disks over NBD with nbdscope's own server: extended headers, structured replies, "
        + "base:allocation, FAST_ZERO, STARTTLS and the zero flag (NBD_INFO_INIT_STATE), each of which can be "
        + "switched off to reproduce an older server. Prints where it listens and the URIs, then runs until Ctrl-C.",
    footer = {"", "Examples:",
        "  nbdscope serve demo                     the 1 TiB demo disk on 127.0.0.1:10809",
        "  nbdscope serve memory:1T --port 0       an empty sparse 1 TiB disk, free port",
        "  nbdscope serve disk=/srv/d.raw demo     two exports: disk and demo",
        "  nbdscope serve memory:64G --no-extended-headers --no-init-state",
        "                                          behave like an older server"})
public final class ServeCommand implements Callable<Integer> {
    public static final int DEFAULT_PORT = 10809;

    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "TARGET",
        description = "memory:SIZE (e.g. memory:1T, 64G, 512M), demo, or a raw file or block device. "
            + "NAME=TARGET names the export; otherwise it is named demo, memory or after the file.")
    List<String> targets;

    @Option(names = "--port", paramLabel = "N", description = "TCP port (default ${DEFAULT-VALUE}; 0 picks a free one).", defaultValue = "10809")
    int port;

    @Option(names = "--socket", paramLabel = "PATH", description = "Listen on a Unix domain socket instead of TCP.")
    Path socket;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
        description = "Address to listen on (default ${DEFAULT-VALUE}; 0.0.0.0 or :: for all).")
    String bind;

    @Option(names = "--read-only", description = "Refuse writes on every export (files are opened read-only).")
    boolean readOnly;

    @Option(names = "--export-name", paramLabel = "NAME", description = "Name of the export (one TARGET only).")
    String exportName;

    @Option(names = "--description", paramLabel = "TEXT", description = "Description sent with NBD_OPT_LIST and NBD_INFO_DESCRIPTION.")
    String description;

    @Option(names = "--no-extended-headers", description = "Refuse NBD_OPT_EXTENDED_HEADERS (32-bit requests only).")
    boolean noExtendedHeaders;

    @Option(names = "--no-structured-replies", description = "Refuse NBD_OPT_STRUCTURED_REPLY.")
    boolean noStructuredReplies;

    @Option(names = "--no-init-state", description = "Never send the zero flag (NBD_INFO_INIT_STATE), like every released server.")
    boolean noInitState;

    @Option(names = "--no-fast-zero", description = "Do not advertise NBD_FLAG_SEND_FAST_ZERO.")
    boolean noFastZero;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate: with --tls-key, TLS is required (STARTTLS).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (PKCS#8, unencrypted).")
    Path tlsKey;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "64", description = "Connections served at once (default ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", defaultValue = "900",
        description = "Close connections idle this long (default ${DEFAULT-VALUE}; 0: never).")
    long idleTimeout;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() throws Exception {
        CommandLine cl = spec.commandLine();
        if ((tlsCert == null) != (tlsKey == null)) throw new CommandLine.ParameterException(cl, "--tls-cert and --tls-key go together");
        if (exportName != null && targets.size() > 1) {
            throw new CommandLine.ParameterException(cl, "--export-name names a single export; with several targets write NAME=TARGET");
        }
        if (socket != null && cl.getParseResult().hasMatchedOption("--port")) {
            throw new CommandLine.ParameterException(cl, "--port and --socket exclude each other");
        }
        if (maxConnections < 1 || idleTimeout < 0) throw new CommandLine.ParameterException(cl, "--max-connections must be at least 1 and --idle-timeout not negative");
        for (Path p : new Path[] {tlsCert, tlsKey}) {
            if (p != null && !Files.isReadable(p)) throw new CommandLine.ParameterException(cl, "cannot read " + p);
        }
        ServerOptions options = ServerOptions.defaults()
            .withExtendedHeaders(!noExtendedHeaders).withStructuredReplies(!noStructuredReplies)
            .withInitState(!noInitState).withFastZero(!noFastZero)
            .withMaxConnections(maxConnections).withIdleTimeout(Duration.ofSeconds(idleTimeout));
        if (tlsCert != null) options = options.withTls(tlsCert, tlsKey);
        NbdServer.Builder builder = NbdServer.builder().options(options);
        if (socket != null) {
            builder.unixSocket(socket);
        } else {
            try {
                builder.tcp(InetAddress.getByName(bind), port);
            } catch (UnknownHostException | IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cl, "--bind " + bind + " / --port " + port + ": " + e.getMessage());
            }
        }
        List<Backend> opened = new ArrayList<>();
        NbdServer server;
        try {
            Set<String> names = new HashSet<>();
            for (String t : targets) {
                String[] named = split(t);
                String name = named[0] != null ? named[0] : exportName != null ? exportName : unique(Backends.defaultName(named[1]), names);
                if (!names.add(name)) throw new CommandLine.ParameterException(cl, "two exports are named '" + name + "'");
                Backend b;
                try {
                    b = Backends.open(named[1], readOnly);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(cl, e.getMessage());
                }
                opened.add(b);
                builder.export(name, b, description != null ? description : b.description(), readOnly);
            }
            server = builder.start();
        } catch (Exception e) {
            for (Backend b : opened) closeQuietly(b);
            throw e;
        }
        Thread hook = new Thread(() -> {
            server.close();
            stop.countDown();
        }, "nbdscope-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        PrintWriter out = cl.getOut();
        out.println(banner(server));
        out.flush();
        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is already running
            }
            server.close();
        }
        return ExitCodes.OK;
    }

    /** "nbdscope serve: listening on 127.0.0.1:10809; demo: nbd://127.0.0.1:10809/demo (read-only, ...)". */
    static String banner(NbdServer server) {
        String exports = server.exports().stream()
            .map(e -> e.name() + ": " + server.uri(e.name()) + " (" + e.backend().description() + (e.readOnly() && e.backend().writable() ? ", read-only" : "") + ")")
            .collect(Collectors.joining("; "));
        return "nbdscope serve: listening on " + server.where() + (server.tls() ? " (TLS required)" : "") + "; " + exports;
    }

    /** {NAME, TARGET}: "name=target" unless the whole text is an existing file or the name looks like a path. */
    static String[] split(String t) {
        int eq = t.indexOf('=');
        if (eq <= 0 || Files.exists(Path.of(t)) || t.substring(0, eq).contains("/") || t.substring(0, eq).contains(":")) {
            return new String[] {null, t};
        }
        return new String[] {t.substring(0, eq), t.substring(eq + 1)};
    }

    private static String unique(String name, Set<String> taken) {
        if (!taken.contains(name)) return name;
        for (int i = 2; ; i++) if (!taken.contains(name + "-" + i)) return name + "-" + i;
    }

    private static void closeQuietly(Backend b) {
        try {
            b.close();
        } catch (IOException e) {
            // nothing to tell the user beyond the original failure
        }
    }
}
