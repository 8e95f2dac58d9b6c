package org.nbdscope.engine.nbd.server.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Opens a backend from a target as users write it: {@code memory:SIZE} (e.g. {@code memory:1T}),
 * {@code demo}, or the path of a raw file or block device.
 */
public final class Backends {
    private Backends() {}

    public static Backend open(String target, boolean readOnly) throws IOException {
        if (target.equals("demo")) return new DemoBackend();
        if (target.startsWith("memory:")) {
            String size = target.substring("memory:".length());
            try {
                return new MemoryBackend(ByteSize.parse(size));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad target '" + target + "': " + e.getMessage(), e);
            }
        }
        if (target.isEmpty()) throw new IllegalArgumentException("empty target: use memory:SIZE, demo or a file path");
        Path p = Path.of(target);
        if (!Files.exists(p)) {
            throw new IOException("'" + target + "' is not memory:SIZE, not demo, and no such file exists");
        }
        return RawFileBackend.open(p, readOnly);
    }

    /** The export name a target gets when none is given: "demo", "memory", or the file's name. */
    public static String defaultName(String target) {
        if (target.equals("demo")) return "demo";
        if (target.startsWith("memory:")) return "memory";
        Path f = Path.of(target).getFileName();
        return f == null ? target : f.toString();
    }
}
