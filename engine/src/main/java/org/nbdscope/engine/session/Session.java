package org.nbdscope.engine.session;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import tools.jackson.databind.JsonNode;

/**
 * One session file: what an engineer saved about one or more targets. Immutable; the {@code with…} methods
 * return changed copies.
 *
 * @param format          always {@link #FORMAT}: tells a session file from any other JSON
 * @param schema          the schema version ({@link #SCHEMA} when written by this build); older ones are
 *                        upgraded on load, newer ones refused with a clear message
 * @param nbdscopeVersion the nbdscope version that wrote the file ("dev" for builds from source)
 * @param created         when the session was first saved
 * @param modified        when it was last saved
 * @param view            app-level view state (theme, selected target)
 * @param targets         the targets, in tab order
 * @param extra           fields this build does not know (from a newer minor version): kept and written back
 */
@JsonPropertyOrder({"format", "schema", "nbdscopeVersion", "created", "modified", "view", "targets"})
public record Session(String format, int schema, String nbdscopeVersion, Instant created, Instant modified,
                      SessionView view, List<SessionTarget> targets,
                      @JsonAnySetter Map<String, JsonNode> extra) {
    /** The value of {@code format} in every session file. */
    public static final String FORMAT = "nbdscope-session";
    /** The schema this build writes and the newest it reads. */
    public static final int SCHEMA = 1;

    public Session {
        if (format == null) format = FORMAT;
        if (view == null) view = SessionView.DEFAULT;
        targets = targets == null ? List.of() : List.copyOf(targets);
        extra = Extra.copy(extra);
    }

    /** A new, empty session written by {@code nbdscopeVersion}, created now. */
    public static Session create(String nbdscopeVersion) {
        Instant now = Instant.now();
        return new Session(FORMAT, SCHEMA, nbdscopeVersion, now, now, SessionView.DEFAULT, List.of(), Map.of());
    }

    @JsonAnyGetter
    public Map<String, JsonNode> extra() { return extra; }

    /** The target with this id, or null. */
    public SessionTarget target(String id) {
        for (SessionTarget t : targets) if (t.id().equals(id)) return t;
        return null;
    }

    /** The first target whose (redacted) target text equals {@link Secrets#redactTarget redacted} {@code target}, or null. */
    public SessionTarget targetFor(String target) {
        String r = Secrets.redactTarget(target);
        for (SessionTarget t : targets) if (t.target().target().equals(r)) return t;
        return null;
    }

    /** An id no target of this session has yet: {@code t1}, {@code t2}, … */
    public String newTargetId() {
        for (int n = targets.size() + 1; ; n++) {
            String id = "t" + n;
            if (target(id) == null) return id;
        }
    }

    /** Adds {@code t}, or replaces the target with the same id in place. */
    public Session withTarget(SessionTarget t) {
        List<SessionTarget> l = new ArrayList<>(targets);
        for (int i = 0; i < l.size(); i++) {
            if (l.get(i).id().equals(t.id())) {
                l.set(i, t);
                return withTargets(l);
            }
        }
        l.add(t);
        return withTargets(l);
    }

    /** Removes the target with this id (nothing when there is none). */
    public Session withoutTarget(String id) {
        List<SessionTarget> l = new ArrayList<>(targets);
        l.removeIf(t -> t.id().equals(id));
        return withTargets(l);
    }

    public Session withTargets(List<SessionTarget> t) {
        return new Session(format, schema, nbdscopeVersion, created, modified, view, t, extra);
    }

    public Session withView(SessionView v) {
        return new Session(format, schema, nbdscopeVersion, created, modified, v, targets, extra);
    }

    /** Stamped for saving: modified now, written by {@code version} with the current schema. */
    public Session stamped(String version, Instant now) {
        return new Session(FORMAT, SCHEMA, version, created == null ? now : created, now, view, targets, extra);
    }

    /** Helpers for the {@code extra} maps of unknown fields. */
    static final class Extra {
        private Extra() {}

        static Map<String, JsonNode> copy(Map<String, JsonNode> m) {
            return m == null || m.isEmpty() ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
        }
    }
}
