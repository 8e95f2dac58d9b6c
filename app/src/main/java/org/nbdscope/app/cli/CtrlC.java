package org.nbdscope.app.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Ctrl-C for a long command: while it is armed, SIGINT (which starts the JVM's shutdown) runs
 * {@code onInterrupt} (for example: cancel the scan); when that returns true, the shutdown waits until
 * the command has cleaned up (printed what it has, closed its connection) or a few seconds have passed. The process then
 * exits with the JVM's status for SIGINT, 130 ({@link ExitCodes#CANCELLED}).
 */
final class CtrlC implements AutoCloseable {
    private static final long GRACE_SECONDS = 5;

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean interrupted;

    private CtrlC(BooleanSupplier onInterrupt) {
        this.hook = new Thread(() -> {
            interrupted = true;
            if (!onInterrupt.getAsBoolean()) return;
            try {
                done.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "nbdscope-ctrl-c");
    }

    /** Arms the handler until {@link #close()}. */
    static CtrlC arm(BooleanSupplier onInterrupt) {
        CtrlC c = new CtrlC(onInterrupt);
        try {
            Runtime.getRuntime().addShutdownHook(c.hook);
        } catch (IllegalStateException alreadyShuttingDown) {
            c.interrupted = true;
            onInterrupt.getAsBoolean();
        }
        return c;
    }

    /** True once Ctrl-C (or another shutdown) was seen. */
    boolean interrupted() { return interrupted; }

    /** The command has cleaned up: releases a pending shutdown, or disarms the handler. */
    @Override
    public void close() {
        done.countDown();
        if (!interrupted) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // shutdown began meanwhile: the hook runs and returns at once, as done is counted down
            }
        }
    }
}
