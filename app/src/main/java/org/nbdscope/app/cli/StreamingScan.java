package org.nbdscope.app.cli;

import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanHandle;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.source.BlockSource;

/**
 * Runs an {@link ExtentScanner} and, on the calling thread, writes the map's final extents as its covered
 * prefix grows, so the first lines of a 1 TiB map appear after the first answer. The scanner's I/O
 * threads only wake this thread; they never block on the output.
 */
final class StreamingScan {
    private final Object lock = new Object();
    private boolean signalled;
    private volatile ScanHandle handle;
    private volatile boolean cancelled;

    /** Cancels the scan (Ctrl-C); returns true when a scan was running and will now wind down. */
    boolean cancel() {
        cancelled = true;
        ScanHandle h = handle;
        if (h == null) return false;
        h.cancel();
        return true;
    }

    /**
     * Scans {@code source} and streams it to {@code printer} (null for no streaming, as for totals).
     * Returns how the scan ended; when it is complete, the whole map has been written.
     */
    ScanResult run(BlockSource source, ScanOptions options, MapPrinter printer) {
        if (cancelled) return null;
        ScanHandle h = ExtentScanner.start(source, options, (bytes, extents, requests) -> wake());
        handle = h;
        if (cancelled) h.cancel();
        h.result().whenComplete((r, e) -> wake());
        if (printer != null) printer.begin();
        while (true) {
            boolean done = h.result().isDone();
            if (printer != null) {
                printer.printFinal(h.map());
                if (printer.broken()) h.cancel();
            }
            if (done) break;
            awaitSignal();
        }
        ScanResult r = h.result().join();
        if (printer != null && r.complete()) printer.finish(r.map());
        return r;
    }

    private void wake() {
        synchronized (lock) {
            signalled = true;
            lock.notifyAll();
        }
    }

    private void awaitSignal() {
        synchronized (lock) {
            while (!signalled) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancel();
                    return;
                }
            }
            signalled = false;
        }
    }
}
