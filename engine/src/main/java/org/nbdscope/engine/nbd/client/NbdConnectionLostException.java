package org.nbdscope.engine.nbd.client;

import org.nbdscope.engine.proto.NbdCommand;

/** A request that was in flight (or sent) when the connection died; the message says why it died. */
public final class NbdConnectionLostException extends NbdCommandException {
    public NbdConnectionLostException(NbdCommand command, long offset, long length, String why) {
        super(command, offset, length, 0, null, why);
    }

    @Override
    public boolean connectionLost() { return true; }
}
