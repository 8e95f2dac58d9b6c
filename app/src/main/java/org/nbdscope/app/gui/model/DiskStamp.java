package org.nbdscope.app.gui.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * What a session file looked like on disk when the app last read or wrote it: another program that saves it
 * meanwhile (nbdscope's command line with {@code --save}, a second window) changes at least one of these,
 * as every save replaces the file with a new one.
 */
record DiskStamp(Object fileKey, long size, FileTime modified) {
    /** The stamp of {@code file} now; null when it does not exist or cannot be read. */
    static DiskStamp of(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return new DiskStamp(a.fileKey(), a.size(), a.lastModifiedTime());
        } catch (IOException e) {
            return null;
        }
    }
}
