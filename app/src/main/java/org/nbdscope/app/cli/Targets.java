package org.nbdscope.app.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.nbdscope.engine.image.ImageOptions;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.NbdUriException;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.OpenOptions;
import org.nbdscope.engine.source.SourceException;
import org.nbdscope.engine.source.Sources;

/** Turns a command-line target into a source; malformed URIs surface as {@link NbdUriException} (exit 2). */
final class Targets {
    private Targets() {}

    /**
     * Opens {@code target} with {@code context} selected. Text that is neither an NBD URI nor an existing
     * file is parsed as a URI, so the error names the bad part (scheme, host, port, ...).
     */
    static BlockSource open(String target, String context) {
        return open(target, context, ImageOptions.defaults());
    }

    /** As {@link #open(String, String)}, with {@code image} deciding how image files are read. */
    static BlockSource open(String target, String context, ImageOptions image) {
        if (!Sources.isBuiltIn(target) && !NbdUri.looksLikeNbd(target) && !Files.exists(Path.of(target))) NbdUri.parse(target);
        try {
            // an NBD URI's connection may be under way already (image options concern files only)
            BlockSource early = NbdUri.looksLikeNbd(target) ? EarlyOpen.take(target, context) : null;
            return early != null ? early : Sources.open(target, options(context).withImage(image));
        } catch (SourceException e) {
            if (e.getCause() instanceof NbdUriException u) throw u;
            throw e;
        }
    }

    /** How {@link #open} opens a target for {@code context}. */
    static OpenOptions options(String context) {
        return OpenOptions.defaults().withContexts(List.of(context));
    }

    /** True when {@code e} (or what it wraps) is a malformed-URI error. */
    static boolean isUsageError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NbdUriException) return true;
            if (t.getCause() == t) break;
        }
        return false;
    }
}
