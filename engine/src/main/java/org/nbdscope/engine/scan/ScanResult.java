package org.nbdscope.engine.scan;

import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.source.WireStats;

/** How a scan ended: the map (complete, or partial with the rest unknown), its cost, and any failure. */
public record ScanResult(Outcome outcome, ExtentMap map, WireStats cost, long elapsedNanos, String error) {
    public enum Outcome { COMPLETE, CANCELLED, FAILED }

    public boolean complete() { return outcome == Outcome.COMPLETE; }
}
