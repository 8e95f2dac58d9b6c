package org.nbdscope.engine.image;

import java.nio.file.Path;
import java.util.Objects;

import org.nbdscope.engine.source.WireCounters;

/** Opens image files as {@link ImageSource}s. */
public final class ImageSources {
    private ImageSources() {}

    /**
     * Opens {@code file} read-only: qcow2 when it starts with the magic {@code "QFI\xfb"}, raw otherwise
     * (regular files and block devices). Backing files are followed as {@code options} allow.
     *
     * @throws ImageException when the file cannot be opened, or is corrupt or hostile (the message names
     *                        the field and its value)
     */
    public static ImageSource open(Path file, ImageOptions options) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(options, "options");
        Path abs = file.toAbsolutePath().normalize();
        WireCounters counters = new WireCounters();
        Layer top = new ChainOpener(abs, options, counters).openTop(abs);
        return new ImageSource(abs, top, options, counters);
    }

    /** {@link #open(Path, ImageOptions)} with {@link ImageOptions#defaults()}. */
    public static ImageSource open(Path file) {
        return open(file, ImageOptions.defaults());
    }
}
