package org.nbdscope.engine.session;

import java.time.Instant;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.extent.ExtentTotals;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.zero.Cost;
import tools.jackson.databind.JsonNode;

/**
 * One scan of a target.
 *
 * @param at      when it finished
 * @param outcome complete, cancelled (the rest unknown) or failed
 * @param error   why it failed, or null
 * @param context the meta context mapped ({@code base:allocation})
 * @param cost    requests by command, round trips, bytes on the wire and the scan's wall time ({@code wallNanos})
 * @param extents the map (partial when cancelled or failed: the rest is unknown)
 * @param extra   unknown fields, kept
 */
public record SavedScan(Instant at, ScanResult.Outcome outcome, String error, String context, Cost cost, ExtentData extents,
                        @JsonAnySetter Map<String, JsonNode> extra) {
    public SavedScan {
        if (outcome == null) throw new IllegalArgumentException("outcome: missing (COMPLETE, CANCELLED or FAILED)");
        if (extents == null) throw new IllegalArgumentException("extents: missing");
        if (cost == null) cost = Cost.NONE;
        if (context == null) context = BlockStatusFlags.BASE_ALLOCATION;
        error = Secrets.redactText(error);
        extra = Session.Extra.copy(extra);
    }

    /** A finished scan of {@code context}, stamped {@code at}. */
    public static SavedScan of(ScanResult r, String context, Instant at) {
        return new SavedScan(at, r.outcome(), r.error(), context, Cost.of(r.cost(), r.elapsedNanos()), ExtentData.of(r.map()), Map.of());
    }

    /** A scan from a map and its cost (e.g. one the app built itself). */
    public static SavedScan of(ExtentMap map, ScanResult.Outcome outcome, String error, String context, Cost cost, Instant at) {
        return new SavedScan(at, outcome, error, context, cost, ExtentData.of(map), Map.of());
    }

    @JsonAnyGetter
    public Map<String, JsonNode> extra() { return extra; }

    public boolean complete() { return outcome == ScanResult.Outcome.COMPLETE; }

    /** The saved map, shared: read it, never append to it ({@link #toExtentMap()} for a copy). */
    public ExtentMap map() { return extents.map(); }

    /** A copy of the saved map that the caller owns. */
    public ExtentMap toExtentMap() { return extents.toExtentMap(); }

    public ExtentTotals totals() { return extents.map().totals(); }
}
