package org.nbdscope.app.cli;

/** Exit codes a script can rely on. Documented in README.md. */
public final class ExitCodes {
    private ExitCodes() {}

    /** Success; for {@code probe}: the target reads as all zero. */
    public static final int OK = 0;
    /** The command ran into an error (server error, I/O error, corrupt input). */
    public static final int FAILED = 1;
    /** Bad command-line usage or a malformed URI. */
    public static final int USAGE = 2;
    /** {@code probe}: the target does not read as all zero. */
    public static final int NOT_ZERO = 3;
    /** {@code probe}: nobody can tell (no block status, no zero flag). */
    public static final int UNKNOWN = 4;
    /** A destructive command was refused (no confirmation, read-only target). */
    public static final int REFUSED = 5;
    /** A session file is missing, corrupt, truncated, not a session, or from a newer nbdscope. */
    public static final int BAD_SESSION = 6;
    /** The operation was cancelled (Ctrl-C). */
    public static final int CANCELLED = 130;
}
