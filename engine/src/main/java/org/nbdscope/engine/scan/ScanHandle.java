package org.nbdscope.engine.scan;

import java.util.concurrent.CompletableFuture;

import org.nbdscope.engine.extent.ExtentMap;

/** A running scan: its live map, a way to cancel it, and its result. */
public interface ScanHandle {
    ExtentMap map();

    /** Stops issuing requests; the result completes as {@link ScanResult.Outcome#CANCELLED}, keeping what is known. */
    void cancel();

    CompletableFuture<ScanResult> result();
}
