package org.nbdscope.engine.image;

/**
 * What a format needs from whoever opens the chain: its backing file and its external data file, both
 * resolved under the same rules (plain file names inside the top image's directory, depth capped, no
 * loops).
 */
public interface LayerOpener {
    /**
     * Opens the backing file {@code ref} of {@code from}; returns null when backing files are not
     * followed. Fails with {@link ImageException} when the name is refused, the file is missing, the
     * chain loops or is too deep.
     */
    Layer openBacking(ImageFile from, Layer.BackingRef ref);

    /** Opens the external data file {@code name} of the image in {@code from}. */
    ImageFile openDataFile(ImageFile from, String name);
}
