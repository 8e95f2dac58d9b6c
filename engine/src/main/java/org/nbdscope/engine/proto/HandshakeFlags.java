package org.nbdscope.engine.proto;

/** Handshake flags (server, 16 bits) and client flags (32 bits). */
public final class HandshakeFlags {
    private HandshakeFlags() {}

    public static final int FIXED_NEWSTYLE = 1;
    public static final int NO_ZEROES = 1 << 1;
    public static final int C_FIXED_NEWSTYLE = 1;
    public static final int C_NO_ZEROES = 1 << 1;
}
