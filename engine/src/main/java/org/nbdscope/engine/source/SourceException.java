package org.nbdscope.engine.source;

/** A failure a user can read: what happened, with the field and value where there is one. */
public class SourceException extends RuntimeException {
    public SourceException(String message) { super(message); }

    public SourceException(String message, Throwable cause) { super(message, cause); }
}
