package org.nbdscope.engine.nbd.server;

/** Which headers a connection uses in the transmission phase. */
public enum HeaderMode {
    /** Compact requests, simple replies only. */
    SIMPLE,
    /** Compact requests, structured reply chunks ({@code NBD_OPT_STRUCTURED_REPLY}). */
    STRUCTURED,
    /** 32-byte requests and reply chunks ({@code NBD_OPT_EXTENDED_HEADERS}). */
    EXTENDED
}
