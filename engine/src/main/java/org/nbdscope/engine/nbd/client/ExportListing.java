package org.nbdscope.engine.nbd.client;

import java.util.List;

import org.nbdscope.engine.proto.HandshakeFlags;

/**
 * A server's exports with their details ({@link NbdClient#listDetails}), and what the listing connection
 * negotiated.
 *
 * @param handshakeFlags the server's 16-bit handshake flags
 * @param tls            true when the listing ran over TLS
 * @param headerMode     the header mode the listing connection negotiated
 * @param exports        the exports in the server's order
 */
public record ExportListing(int handshakeFlags, boolean tls, HeaderMode headerMode, List<ExportDetails> exports) {
    public ExportListing {
        exports = List.copyOf(exports);
    }

    /** "newstyle-fixed" or "newstyle", as nbdinfo names the handshake. */
    public String protocol() {
        return (handshakeFlags & HandshakeFlags.FIXED_NEWSTYLE) != 0 ? "newstyle-fixed" : "newstyle";
    }

    /** True when every export was described. */
    public boolean allOk() { return exports.stream().allMatch(ExportDetails::ok); }
}
