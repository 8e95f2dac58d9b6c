package org.nbdscope.app.cli;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

import org.nbdscope.engine.nbd.NbdUri;
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
 * The guess is made from the raw arguments (the one NBD URI among them, and {@code --context}); the
 * command takes the early connection through {@link #take} only when it opens exactly that target with
 * exactly the options the guess used, and the early result is then what its own open would have given,
 * failure included. A wrong guess is closed unused ({@link #discard}), costing the server one handshake.
 */
final class EarlyOpen {
    private EarlyOpen() {}

    private record Early(String target, OpenOptions options, CompletableFuture<BlockSource> source) {}

    private static final AtomicReference<Early> EARLY = new AtomicReference<>();

    /** Starts opening the target of {@code args} on a background thread when they are a {@code map} of one NBD URI. */
    static void start(String... args) {
        if (args.length < 2 || !args[0].equals("map")) return;
        String target = null;
        String context = BlockStatusFlags.BASE_ALLOCATION;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) return;
            if (a.equals("--context") && i + 1 < args.length) {
                context = args[++i];
            } else if (a.startsWith("--context=")) {
                context = a.substring("--context=".length());
            } else if (NbdUri.looksLikeNbd(a)) {
                if (target != null) return;   // two URIs: not a map this class can guess
                target = a;
            }
        }
        if (target == null) return;
        OpenOptions options = Targets.options(context);
        CompletableFuture<BlockSource> f = new CompletableFuture<>();
        Early early = new Early(target, options, f);
        Early previous = EARLY.getAndSet(early);
        if (previous != null) closeWhenOpen(previous);
        String t = target;
        Thread.ofPlatform().daemon().name("nbdscope-early-open").start(() -> {
            try {
                f.complete(Sources.open(t, options));
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        });
    }

    /**
     * The early connection to {@code target} when it was opened with {@code options}, waiting for it if
     * it is still under way; its failure is thrown as the open would have thrown it. Null when nothing was
     * started for these, and then anything started for something else is closed.
     */
    static BlockSource take(String target, OpenOptions options) {
        Early early = EARLY.getAndSet(null);
        if (early == null) return null;
        if (!early.target().equals(target) || !early.options().equals(options)) {
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

    /** Closes an early connection nobody took (a wrong guess, or the command failed before opening). */
    static void discard() {
        Early early = EARLY.getAndSet(null);
        if (early != null) closeWhenOpen(early);
    }

    private static void closeWhenOpen(Early early) {
        early.source().thenAccept(BlockSource::close);
    }
}
