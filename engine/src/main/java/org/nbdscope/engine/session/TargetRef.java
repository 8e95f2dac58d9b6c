package org.nbdscope.engine.session;

import org.nbdscope.engine.source.OpenOptions;

/**
 * What to open: the target as the user gave it (an NBD URI, an image path, {@code demo}, {@code memory:SIZE}),
 * with any password and secret query parameters removed ({@link Secrets#redactTarget}), and its options.
 */
public record TargetRef(String target, TargetOptions options) {
    public TargetRef {
        if (target == null || target.isBlank()) throw new IllegalArgumentException("a session target needs its URI or path");
        target = Secrets.redactTarget(target);
        if (options == null) options = TargetOptions.defaults();
    }

    public static TargetRef of(String target, OpenOptions options) {
        return new TargetRef(target, TargetOptions.of(options == null ? OpenOptions.defaults() : options));
    }
}
