package org.nbdscope.engine.nbd.client;

import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.NbdOptionReply;
import org.nbdscope.engine.source.SourceException;

/** The server refused an option the handshake could not do without (GO, LIST, STARTTLS for nbds). */
public class NbdOptionException extends SourceException {
    private final int option;
    private final int replyType;
    private final String serverMessage;

    public NbdOptionException(int option, int replyType, String serverMessage, String what) {
        super(what + ": " + NbdOption.name(option) + " answered " + NbdOptionReply.name(replyType)
            + (serverMessage == null || serverMessage.isEmpty() ? "" : ": " + serverMessage));
        this.option = option;
        this.replyType = replyType;
        this.serverMessage = serverMessage;
    }

    public int option() { return option; }

    public int replyType() { return replyType; }

    public String serverMessage() { return serverMessage; }
}
