package org.nbdscope.engine.zero;

import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdError;
import org.nbdscope.engine.source.SourceException;

/**
 * One command on a {@link ZeroTarget} failed with an error value the ladder can act on: the server's
 * NBD error, or for files the errno mapped to the NBD value ({@code EOPNOTSUPP} becomes {@code NBD_ENOTSUP}).
 * {@code error} is 0 when the failure carries no such value (a timeout, a broken reply).
 */
public class TargetCommandException extends SourceException {
    private final NbdCommand command;
    private final long offset;
    private final long length;
    private final int error;

    public TargetCommandException(NbdCommand command, long offset, long length, int error, String message, Throwable cause) {
        super(message, cause);
        this.command = command;
        this.offset = offset;
        this.length = length;
        this.error = error;
    }

    public TargetCommandException(NbdCommand command, long offset, long length, int error, String message) {
        this(command, offset, length, error, message, null);
    }

    /** A failure with the standard wording: "NBD_CMD_WRITE_ZEROES at offset 0 length 4096 failed: NBD_ENOTSUP (...)". */
    public static TargetCommandException of(NbdCommand command, long offset, long length, int error) {
        return new TargetCommandException(command, offset, length, error,
            "NBD_CMD_" + command.name() + " at offset " + offset + " length " + length + " failed: " + NbdError.describe(error));
    }

    public NbdCommand command() { return command; }

    public long offset() { return offset; }

    public long length() { return length; }

    /** The NBD error value, 0 when there is none. */
    public int error() { return error; }

    public boolean is(NbdError e) { return error == e.code(); }
}
