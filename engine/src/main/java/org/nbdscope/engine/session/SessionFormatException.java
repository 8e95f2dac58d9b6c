package org.nbdscope.engine.session;

import java.io.IOException;

/**
 * A session file that cannot be read: not JSON, truncated, damaged, not a session, or from a newer
 * nbdscope. The message names the file and what is wrong (the field path, the line and column where
 * known) and is meant to be shown to the user as is.
 */
public final class SessionFormatException extends IOException {
    /** What kind of problem it is, for callers that react differently (e.g. offer the backup). */
    public enum Kind {
        /** Not JSON, or the JSON ends early. */
        SYNTAX,
        /** JSON, but not a session file. */
        NOT_A_SESSION,
        /** Written by a newer nbdscope with a schema this build cannot read. */
        NEWER_VERSION,
        /** A field is missing, of the wrong type, out of range, or fails its checksum. */
        INVALID
    }

    private final Kind kind;
    private final String field;
    private final int line;
    private final int column;

    public SessionFormatException(Kind kind, String message, String field, int line, int column, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.field = field;
        this.line = line;
        this.column = column;
    }

    public SessionFormatException(Kind kind, String message) {
        this(kind, message, null, -1, -1, null);
    }

    public Kind kind() { return kind; }

    /** The JSON path of the field that is wrong ({@code targets[0].scans[1].extents}), or null. */
    public String field() { return field; }

    /** 1-based line of the problem, or -1 when not known. */
    public int line() { return line; }

    /** 1-based column of the problem, or -1 when not known. */
    public int column() { return column; }
}
