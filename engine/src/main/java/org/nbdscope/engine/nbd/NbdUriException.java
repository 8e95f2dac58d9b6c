package org.nbdscope.engine.nbd;

/** A malformed NBD URI; the message names the bad part. */
public final class NbdUriException extends IllegalArgumentException {
    public NbdUriException(String message) { super(message); }
}
