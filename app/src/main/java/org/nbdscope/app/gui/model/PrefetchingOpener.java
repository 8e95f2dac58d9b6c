package org.nbdscope.app.gui.model;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

import org.nbdscope.app.gui.task.TaskRunner;
import org.nbdscope.engine.source.BlockSource;

/**
 * Starts opening the targets the app was launched with at once, on background threads, so the built-in
 * server's start and the NBD handshake overlap JavaFX's own start-up instead of following it. The first
 * {@link #open} of such a target takes the early result (or its failure, as it was thrown); every other open
 * goes to the wrapped opener.
 */
public final class PrefetchingOpener implements TargetOpener {
    private final TargetOpener base;
    private final Map<String, CompletableFuture<BlockSource>> early = new ConcurrentHashMap<>();

    /** Starts opening {@code targets} on {@code runner}'s background threads. */
    public PrefetchingOpener(TargetOpener base, TaskRunner runner, List<String> targets) {
        this.base = base;
        for (String t : targets) early.computeIfAbsent(t, k -> runner.background("open early", () -> base.open(k)));
    }

    @Override
    public BlockSource open(String target) throws Exception {
        CompletableFuture<BlockSource> f = early.remove(target);
        if (f == null) return base.open(target);
        try {
            return f.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) throw cause;
            throw e;
        }
    }

    /** Closes what was opened early but never asked for (the window failed to start, or the target was not opened). */
    public void closeUnused() {
        for (String t : List.copyOf(early.keySet())) {
            CompletableFuture<BlockSource> f = early.remove(t);
            if (f != null) f.thenAccept(BlockSource::close);
        }
    }
}
