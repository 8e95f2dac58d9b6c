package org.nbdscope.engine.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The rules for file names an image refers to (backing files, external data files): only plain file
 * names that stay inside the top image's directory. {@code json:} specifications and protocol strings
 * ({@code nbd:}, {@code http:}, {@code file:} ...) are refused, and so are paths that leave the directory,
 * by {@code ..}, as an absolute path elsewhere, or through a symbolic link.
 */
final class BackingPaths {
    private BackingPaths() {}

    /** A name resolved: the path as written (for display, and the base of relative names below it) and the real file. */
    record Resolved(Path path, Path real) {}

    /**
     * Resolves {@code name}, which {@code referrer} holds as its {@code what} ("backing file"), relative to
     * the referrer's directory, and checks that it stays inside {@code root} (absolute, normalised) whose
     * real path is {@code realRoot}.
     */
    static Resolved resolve(Path root, Path realRoot, Path referrer, String name, String what) {
        String ref = referrer.getFileName() + ": " + what + " '" + printable(name) + "'";
        if (name.isEmpty()) throw new ImageException(referrer.getFileName() + ": " + what + " name is empty");
        if (name.startsWith("json:")) {
            throw new ImageException(ref + " is a json: specification; only plain file names are followed");
        }
        int colon = name.indexOf(':');
        int slash = name.indexOf('/');
        if (colon >= 0 && (slash < 0 || colon < slash)) {
            throw new ImageException(ref + " names the protocol '" + printable(name.substring(0, colon))
                + ":'; only plain file names are followed");
        }
        Path p;
        try {
            Path given = Path.of(name);
            p = (given.isAbsolute() ? given : referrer.toAbsolutePath().getParent().resolve(given)).normalize();
        } catch (InvalidPathException e) {
            throw new ImageException(ref + " is not a valid file name: " + e.getReason());
        }
        if (!p.startsWith(root)) {
            throw new ImageException(ref + " resolves to " + p + ", outside the image's directory " + root);
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (NoSuchFileException e) {
            throw new ImageException(ref + " does not exist (looked for " + p + ")");
        } catch (IOException e) {
            throw new ImageException(ref + " cannot be resolved (" + p + "): " + e.getMessage(), e);
        }
        if (!real.startsWith(realRoot)) {
            throw new ImageException(ref + " leads through a symbolic link to " + real + ", outside the image's directory " + realRoot);
        }
        if (Files.isDirectory(real)) throw new ImageException(ref + " is a directory (" + p + ")");
        return new Resolved(p, real);
    }

    /** The name with control characters escaped, for messages. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        int n = 0;
        for (int i = 0; i < s.length() && n < 200; i++, n++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        if (s.length() > 200) b.append("...");
        return b.toString();
    }
}
