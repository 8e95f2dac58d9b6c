package org.nbdscope.engine.nbd.client;

import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdError;
import org.nbdscope.engine.source.SourceException;

/**
 * One command failed: the server answered with an error, the reply broke the rules for that command,
 * or it timed out. The connection itself may still be usable ({@link #connectionLost()} says if not).
 */
public class NbdCommandException extends SourceException {
    private final NbdCommand command;
    private final long offset;
    private final long length;
    private final int error;
    private final String serverMessage;

    /**
     * @param error         the server's NBD error value, or 0 when the failure was detected by the client
     * @param serverMessage the server's message, or null
     * @param detail        the client's explanation when {@code error} is 0
     */
    public NbdCommandException(NbdCommand command, long offset, long length, int error, String serverMessage, String detail) {
        super(format(command, offset, length, error, serverMessage, detail));
        this.command = command;
        this.offset = offset;
        this.length = length;
        this.error = error;
        this.serverMessage = serverMessage;
    }

    private static String format(NbdCommand command, long offset, long length, int error, String msg, String detail) {
        StringBuilder sb = new StringBuilder("NBD_CMD_").append(command.name())
            .append(" at offset ").append(offset).append(" length ").append(length).append(" failed: ");
        if (error != 0) {
            sb.append(NbdError.describe(error));
            if (msg != null && !msg.isEmpty()) sb.append(": ").append(msg);
        } else {
            sb.append(detail);
        }
        return sb.toString();
    }

    public NbdCommand command() { return command; }

    public long offset() { return offset; }

    public long length() { return length; }

    /** The NBD error value the server sent, 0 for client-side failures. */
    public int error() { return error; }

    /** The server's error message, or null. */
    public String serverMessage() { return serverMessage; }

    /** True when the server sent {@code NBD_ENOTSUP} (for example to a {@code FAST_ZERO} request). */
    public boolean notSupported() { return error == NbdError.ENOTSUP.code(); }

    public boolean connectionLost() { return false; }
}
