package org.nbdscope.engine.image;

import org.nbdscope.engine.source.SourceException;

/**
 * An image file that cannot be opened or mapped: missing, corrupt, hostile or using a feature we do not
 * read. The message names the file, the field and its value.
 */
public class ImageException extends SourceException {
    public ImageException(String message) { super(message); }

    public ImageException(String message, Throwable cause) { super(message, cause); }
}
