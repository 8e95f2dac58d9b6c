package org.nbdscope.app.gui.model;

import java.net.URL;
import java.util.List;

/** The themes of the styles module: a stylesheet over Modena plus a heat-map palette. */
public enum Theme {
    LIGHT("light", "Light"),
    DARK("dark", "Dark"),
    HIGH_CONTRAST("high-contrast", "High contrast");

    private final String id;
    private final String label;
    private Palette palette;

    Theme(String id, String label) {
        this.id = id;
        this.label = label;
    }

    public String id() { return id; }

    public String label() { return label; }

    /** The stylesheets to put on a scene, shared layout first. */
    public List<String> stylesheets() {
        return List.of(resource("common.css"), resource(id + ".css"));
    }

    public synchronized Palette palette() {
        if (palette == null) palette = Palette.load(id);
        return palette;
    }

    /** The theme with this id, or {@link #LIGHT} for null or an unknown id. */
    public static Theme byId(String id) {
        for (Theme t : values()) if (t.id.equals(id)) return t;
        return LIGHT;
    }

    private static String resource(String name) {
        URL u = Theme.class.getResource("/org/nbdscope/styles/" + name);
        if (u == null) throw new IllegalStateException("stylesheet " + name + " is missing from the styles module");
        return u.toExternalForm();
    }
}
