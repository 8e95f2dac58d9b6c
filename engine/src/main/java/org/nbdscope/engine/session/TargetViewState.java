package org.nbdscope.engine.session;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import tools.jackson.databind.JsonNode;

/**
 * The view of one target as it was saved.
 *
 * @param zoom       the heat-map's zoom factor (1 = the whole disk in view)
 * @param viewFrom   first byte in view
 * @param viewTo     end of the view (exclusive); 0 together with {@code viewFrom} 0 means "the whole disk"
 * @param kindFilter the extent table's kind filter ({@code ALL}, or an {@link org.nbdscope.engine.extent.ExtentKind} name), or null
 * @param extra      unknown fields, kept
 */
public record TargetViewState(double zoom, long viewFrom, long viewTo, String kindFilter,
                              @JsonAnySetter Map<String, JsonNode> extra) {
    /** The whole disk, no filter. */
    public static final TargetViewState WHOLE = new TargetViewState(1, 0, 0, null, Map.of());

    public TargetViewState {
        if (!(zoom > 0) || Double.isInfinite(zoom)) zoom = 1;
        if (viewFrom < 0 || viewTo < viewFrom) {
            viewFrom = 0;
            viewTo = 0;
        }
        extra = Session.Extra.copy(extra);
    }

    public TargetViewState(double zoom, long viewFrom, long viewTo, String kindFilter) {
        this(zoom, viewFrom, viewTo, kindFilter, Map.of());
    }

    @JsonAnyGetter
    public Map<String, JsonNode> extra() { return extra; }

    /** True when the view covers the whole disk of {@code size} bytes. */
    public boolean whole(long size) { return viewFrom == 0 && (viewTo == 0 || viewTo >= size); }
}
