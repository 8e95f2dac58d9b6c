package org.nbdscope.engine.zero;

import java.util.function.Consumer;

/** A {@link ZeroMonitor} with a cancel switch (Ctrl-C, the app's cancel button) and optional notices. */
public final class CancelToken implements ZeroMonitor {
    private volatile boolean cancelled;
    private final Consumer<String> notices;
    private final ProgressSink progress;

    /** Receives progress figures; may be null. */
    @FunctionalInterface
    public interface ProgressSink {
        void progress(String phase, long done, long total);
    }

    public CancelToken() { this(null, null); }

    public CancelToken(Consumer<String> notices, ProgressSink progress) {
        this.notices = notices;
        this.progress = progress;
    }

    public void cancel() { cancelled = true; }

    @Override
    public boolean cancelled() { return cancelled; }

    @Override
    public void notice(String message) {
        if (notices != null) notices.accept(message);
    }

    @Override
    public void progress(String phase, long done, long total) {
        if (progress != null) progress.progress(phase, done, total);
    }
}
