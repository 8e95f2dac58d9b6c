package org.nbdscope.app.cli;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.client.NbdConnection;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.OpenOptions;
import org.nbdscope.engine.source.SourceException;
import org.nbdscope.engine.source.Sources;

/**
 * Starts connecting to the NBD server of a {@code map} command before picocli has read the command's
 * options: reading the annotations of a command costs picocli about a tenth of a second (each annotation
 * type is a dynamic proxy generated at run time), and Netty's start-up and the handshake take about as
 * long, so on two cores the two overlap instead of following each other.
 * <p>
 * When the server allows several connections and the map is long enough, the extra connections the map
 * will use are started as soon as the first is up ({@link #takeExtra}).
 * <p>
 * The guess is made from the raw arguments (the one NBD URI among them, {@code --context} and
 * {@code --connections}); the command takes the early connection through {@link #take} only when it opens
 * exactly that target with exactly the options the guess used, and the early result is then what its own
 * open would have given, failure included. A wrong guess is closed unused ({@link #discard}), costing the
 * server a handshake per connection.
 */
final class EarlyOpen {
    private EarlyOpen() {}

    private record Early(String target, String context, int connections, CompletableFuture<BlockSource> source) {
        OpenOptions options() { return Targets.options(context); }
    }

    /** The extra connections started for the first one, {@code first}, once the server allowed several. */
    private record Extra(BlockSource first, List<CompletableFuture<NbdConnection>> started) {}

    private static final AtomicReference<Early> EARLY = new AtomicReference<>();
    private static final AtomicReference<Extra> EXTRA = new AtomicReference<>();

    /** Starts opening the target of {@code args} on a background thread when they are a {@code map} of one NBD URI. */
    static void start(String... args) {
        if (args.length < 2 || !args[0].equals("map")) return;
        String target = null;
        String context = BlockStatusFlags.BASE_ALLOCATION;
        String connections = null;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) return;
            if (a.equals("--context") && i + 1 < args.length) {
                context = args[++i];
            } else if (a.startsWith("--context=")) {
                context = a.substring("--context=".length());
            } else if (a.equals("--connections") && i + 1 < args.length) {
                connections = args[++i];
            } else if (a.startsWith("--connections=")) {
                connections = a.substring("--connections=".length());
            } else if (NbdUri.looksLikeNbd(a)) {
                if (target != null) return;   // two URIs: not a map this class can guess
                target = a;
            }
        }
        if (target == null) return;
        int conns;
        try {
            conns = connections == null ? MapCommand.DEFAULT_CONNECTIONS : Math.clamp(Integer.parseInt(connections), 1, 16);
        } catch (NumberFormatException e) {
            return;   // picocli will say what is wrong with it
        }
        Early early = new Early(target, context, conns, new CompletableFuture<>());
        Early previous = EARLY.getAndSet(early);
        if (previous != null) closeWhenOpen(previous);
        Thread.ofPlatform().daemon().name("nbdscope-early-open").start(() -> open(early));
    }

    /** Opens the first connection and, when the server allows several and the map is long, starts the others. */
    private static void open(Early early) {
        BlockSource source;
        try {
            source = Sources.open(early.target(), early.options());
        } catch (Throwable e) {
            early.source().completeExceptionally(e);
            return;
        }
        try {
            var extra = ConnectionPool.startExtra(source, early.connections() - 1, Sources.clientOptions(early.options()),
                early.context());
            if (!extra.isEmpty()) EXTRA.set(new Extra(source, extra));
        } catch (RuntimeException e) {
            // the command opens them itself
        }
        early.source().complete(source);
    }

    /**
     * The early connection to the NBD URI {@code target} with meta context {@code context} selected
     * (opened with {@link Targets#options}), waiting for it if it is still under way; its failure is thrown
     * as the open would have thrown it. Null when nothing was started for these, and then anything started
     * for something else is closed. (Strings are compared, not the options records: the first call of a
     * record's {@code equals} links it through {@code ObjectMethods}, ~10 ms at start-up.)
     */
    static BlockSource take(String target, String context) {
        Early early = EARLY.getAndSet(null);
        if (early == null) return null;
        if (!early.target().equals(target) || !early.context().equals(context)) {
            closeWhenOpen(early);
            return null;
        }
        try {
            return early.source().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new SourceException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
    }

    /**
     * The connections started early besides {@code first} (which {@link #take} returned), for
     * {@link ConnectionPool#widen}; empty when none were started for it.
     */
    static List<CompletableFuture<NbdConnection>> takeExtra(BlockSource first) {
        Extra extra = EXTRA.get();
        if (extra == null || extra.first() != first || !EXTRA.compareAndSet(extra, null)) return List.of();
        return extra.started();
    }

    /** Closes early connections nobody took (a wrong guess, or the command failed before opening). */
    static void discard() {
        Early early = EARLY.getAndSet(null);
        if (early != null) closeWhenOpen(early);
        Extra extra = EXTRA.getAndSet(null);   // the first was taken, the others not (the map stopped before widening)
        if (extra != null) ConnectionPool.closeWhenUp(extra.started());
    }

    private static void closeWhenOpen(Early early) {
        early.source().thenAccept(s -> {
            s.close();
            ConnectionPool.closeWhenUp(takeExtra(s));
        });
    }
}
