package org.nbdscope.engine.nbd.server;

/** A client broke the protocol so badly that the server must hang up (bad magic, oversize payload...). */
final class ProtocolViolation extends RuntimeException {
    ProtocolViolation(String message) {
        super(message, null, false, false);
    }
}
