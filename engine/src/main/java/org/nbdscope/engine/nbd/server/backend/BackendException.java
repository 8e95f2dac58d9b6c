package org.nbdscope.engine.nbd.server.backend;

import java.io.IOException;

import org.nbdscope.engine.proto.NbdError;

/** A backend failure with the NBD error to send ({@code NBD_EPERM}, {@code NBD_ENOSPC}, ...) and its message. */
public final class BackendException extends IOException {
    private final NbdError error;

    public BackendException(NbdError error, String message) {
        super(message);
        this.error = error;
    }

    public BackendException(NbdError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    public NbdError error() { return error; }
}
