package org.nbdscope.engine.session;

import java.util.List;

import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.proto.BlockStatusFlags;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upgrades older session files to {@link Session#SCHEMA}, one step at a time, on the JSON tree before it is
 * mapped: each step takes schema {@code n} to {@code n + 1}. A file is never rewritten on load; it gets the
 * new schema when it is next saved.
 *
 * <p>Schema 0 is the pre-release shape (documented in {@code docs/session-format.md}): no {@code format},
 * {@code schemaVersion: 0}, {@code nbdscope} for the version, {@code saved} for the timestamp, a top-level
 * {@code theme}, and per target a {@code uri}, a {@code note}, a {@code size} and at most one {@code scan}
 * with its extents as plain {@code starts} and {@code statuses} arrays.
 */
final class SchemaUpgrades {
    private SchemaUpgrades() {}

    /** One step: schema {@code from()} to {@code from() + 1}. */
    interface Step {
        int from();

        /** Rewrites {@code root} in place; fails with {@link IllegalArgumentException} naming the field at fault. */
        void apply(ObjectNode root);
    }

    static final List<Step> STEPS = List.of(new ZeroToOne());

    /** Applies every step from {@code schema} up to {@link Session#SCHEMA}. */
    static void upgrade(ObjectNode root, int schema) {
        for (Step s : STEPS) {
            if (s.from() == schema) {
                s.apply(root);
                schema++;
                root.put("schema", schema);
            }
        }
        if (schema != Session.SCHEMA) throw new IllegalStateException("no upgrade path from schema " + schema + " to " + Session.SCHEMA);
    }

    /** Schema 0 (pre-release) to 1. */
    static final class ZeroToOne implements Step {
        @Override public int from() { return 0; }

        @Override
        public void apply(ObjectNode root) {
            String saved = text(root, "saved");
            root.remove("schemaVersion");
            root.put("format", Session.FORMAT);
            move(root, "nbdscope", "nbdscopeVersion");
            root.remove("saved");
            if (saved != null) {
                root.put("created", saved);
                root.put("modified", saved);
            }
            JsonNode theme = root.remove("theme");
            ObjectNode view = root.putObject("view");
            if (theme != null && theme.isString()) view.put("theme", theme.asString());
            JsonNode targets = root.get("targets");
            if (targets == null || targets.isNull()) return;
            if (!targets.isArray()) throw new IllegalArgumentException("targets: not an array");
            int i = 0;
            for (JsonNode t : targets) {
                if (!(t instanceof ObjectNode o)) throw new IllegalArgumentException("targets[" + i + "]: not an object");
                upgradeTarget(o, i);
                i++;
            }
        }

        private static void upgradeTarget(ObjectNode o, int i) {
            String at = "targets[" + i + "]";
            String uri = text(o, "uri");
            if (uri == null) throw new IllegalArgumentException(at + ".uri: missing");
            o.remove("uri");
            o.put("id", "t" + (i + 1));
            ObjectNode target = o.putObject("target");
            target.put("target", uri);
            move(o, "note", "notes");
            JsonNode sizeNode = o.remove("size");
            if (sizeNode != null && !sizeNode.isNull() && (!sizeNode.isIntegralNumber() || !sizeNode.canConvertToLong())) {
                throw new IllegalArgumentException(at + ".size: not a 64-bit whole number");
            }
            long size = sizeNode == null || sizeNode.isNull() ? -1 : sizeNode.asLong();
            if (size >= 0) {
                ObjectNode facts = o.putObject("facts");
                facts.put("name", uri);
                facts.put("size", size);
            }
            JsonNode scan = o.remove("scan");
            ArrayNode scans = o.putArray("scans");
            if (scan == null || scan.isNull()) return;
            if (!(scan instanceof ObjectNode s)) throw new IllegalArgumentException(at + ".scan: not an object");
            if (size < 0) throw new IllegalArgumentException(at + ".size: missing, needed by its scan");
            ObjectNode out = scans.addObject();
            if (s.has("at")) out.set("at", s.get("at"));
            JsonNode complete = s.get("complete");
            out.put("outcome", complete != null && complete.asBoolean() ? "COMPLETE" : "CANCELLED");
            out.put("context", BlockStatusFlags.BASE_ALLOCATION);
            ExtentMap map = extents(s, size, at + ".scan");
            out.set("extents", SessionJson.MAPPER.valueToTree(ExtentData.of(map).encoded()));
        }

        /** The plain arrays of schema 0, checked as strictly as the compact encoding. */
        private static ExtentMap extents(ObjectNode s, long size, String at) {
            JsonNode starts = s.get("starts");
            JsonNode statuses = s.get("statuses");
            JsonNode coveredNode = s.get("covered");
            if (starts == null || !starts.isArray()) throw new IllegalArgumentException(at + ".starts: missing or not an array");
            if (statuses == null || !statuses.isArray()) throw new IllegalArgumentException(at + ".statuses: missing or not an array");
            if (starts.size() != statuses.size()) {
                throw new IllegalArgumentException(at + ": " + starts.size() + " starts but " + statuses.size() + " statuses");
            }
            if (coveredNode == null || !coveredNode.isIntegralNumber() || !coveredNode.canConvertToLong()) throw new IllegalArgumentException(at + ".covered: missing or not a number");
            long covered = coveredNode.asLong();
            if (covered < 0 || covered > size) throw new IllegalArgumentException(at + ".covered: " + covered + " is outside 0.." + size);
            ExtentMap map = new ExtentMap(size);
            int n = starts.size();
            for (int k = 0; k < n; k++) {
                if (!starts.get(k).isIntegralNumber() || !starts.get(k).canConvertToLong()) {
                    throw new IllegalArgumentException(at + ".starts[" + k + "]: not a 64-bit whole number");
                }
                if (!statuses.get(k).isIntegralNumber() || !statuses.get(k).canConvertToInt()) {
                    throw new IllegalArgumentException(at + ".statuses[" + k + "]: not a 32-bit whole number");
                }
            }
            for (int k = 0; k < n; k++) {
                JsonNode st = statuses.get(k);
                long start = starts.get(k).asLong();
                long end = k + 1 < n ? starts.get(k + 1).asLong() : covered;
                if (start != map.covered()) {
                    throw new IllegalArgumentException(at + ".starts[" + k + "]: " + start + " does not follow the previous extent (" + map.covered() + ")");
                }
                if (end <= start || end > covered) {
                    throw new IllegalArgumentException(at + ".starts[" + k + "]: extent " + start + ".." + end + " is empty or runs past covered (" + covered + ")");
                }
                map.append(start, end - start, st.asInt());
            }
            if (map.covered() != covered) throw new IllegalArgumentException(at + ".covered: " + covered + ", but the extents end at " + map.covered());
            return map;
        }
    }

    private static String text(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        return n != null && n.isString() ? n.asString() : null;
    }

    private static void move(ObjectNode o, String from, String to) {
        JsonNode v = o.remove(from);
        if (v != null) o.set(to, v);
    }
}
