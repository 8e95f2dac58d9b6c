package org.nbdscope.app.gui.model;

import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What was dropped on the window, as targets to open: files as paths, text as one URI or path per line. */
public final class DropTargets {
    private DropTargets() {}

    /**
     * @param files dropped files (may be empty)
     * @param text dropped URL or text when no files were dropped (may be null); {@code file:} URIs become
     *     paths, blank lines and {@code #} comment lines (text/uri-list) are skipped
     */
    public static List<String> of(List<Path> files, String text) {
        List<String> out = new ArrayList<>();
        for (Path f : files) out.add(f.toAbsolutePath().toString());
        if (!out.isEmpty() || text == null) return out;
        for (String line : text.split("\\R")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) continue;
            out.add(t.startsWith("file:") ? filePath(t) : t);
        }
        return out;
    }

    private static String filePath(String uri) {
        try {
            return Path.of(URI.create(uri)).toString();
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            return uri;
        }
    }
}
