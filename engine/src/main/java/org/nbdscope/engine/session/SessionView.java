package org.nbdscope.engine.session;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import tools.jackson.databind.JsonNode;

/**
 * App-level view state.
 *
 * @param theme          the theme's name ({@code light}, {@code dark}, {@code high-contrast}), or null for the app's default
 * @param selectedTarget the id of the target whose tab was selected, or null
 * @param extra          unknown fields, kept
 */
public record SessionView(String theme, String selectedTarget, @JsonAnySetter Map<String, JsonNode> extra) {
    public static final SessionView DEFAULT = new SessionView(null, null, Map.of());

    public SessionView {
        extra = Session.Extra.copy(extra);
    }

    public SessionView(String theme, String selectedTarget) { this(theme, selectedTarget, Map.of()); }

    @JsonAnyGetter
    public Map<String, JsonNode> extra() { return extra; }

    public SessionView withTheme(String t) { return new SessionView(t, selectedTarget, extra); }

    public SessionView withSelectedTarget(String id) { return new SessionView(theme, id, extra); }
}
