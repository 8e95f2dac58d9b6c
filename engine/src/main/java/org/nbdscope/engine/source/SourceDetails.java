package org.nbdscope.engine.source;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Ordered, grouped name/value rows describing a source (negotiation for NBD, header facts for images). */
public final class SourceDetails {
    /** One row: a group ("Export", "Negotiated", "Image"), a name and a display value. */
    public record Row(String group, String name, String value) {}

    private final List<Row> rows = new ArrayList<>();

    public SourceDetails add(String group, String name, Object value) {
        rows.add(new Row(group, name, String.valueOf(value)));
        return this;
    }

    public List<Row> rows() { return Collections.unmodifiableList(rows); }

    /** The value of the first row with this name, or null. */
    public String get(String name) {
        for (Row r : rows) if (r.name().equals(name)) return r.value();
        return null;
    }
}
