package org.nbdscope.engine.nbd.client;

import org.nbdscope.engine.source.SourceException;

/**
 * The server broke the protocol in a way that ends the connection: a bad magic, an unknown cookie, an
 * oversize or inconsistent length. The message names the field and its value.
 */
public class NbdProtocolException extends SourceException {
    public NbdProtocolException(String message) { super(message); }
}
