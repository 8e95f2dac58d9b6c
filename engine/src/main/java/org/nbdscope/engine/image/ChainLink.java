package org.nbdscope.engine.image;

import java.nio.file.Path;

/**
 * One file of an image's backing chain, top first.
 *
 * @param depth       0 for the image itself, 1 for its backing file, ...
 * @param name        the name as the referring header stores it (the path given, for the top)
 * @param path        the file opened, or null when it was not followed
 * @param format      "raw", "qcow2", or the format the header states when not opened (null when it states none)
 * @param virtualSize the size the format records, or -1 when not opened
 * @param opened      false when backing files are not followed
 */
public record ChainLink(int depth, String name, Path path, String format, long virtualSize, boolean opened) {
    /** "b1.qcow2 (qcow2)" or "b1.qcow2 (not followed)". */
    public String describe() {
        return name + (opened ? " (" + format + ")" : " (not followed" + (format != null ? ", " + format : "") + ")");
    }
}
