package org.nbdscope.engine.nbd.client;

/** Which request and reply headers the transmission phase uses. */
public enum HeaderMode {
    /** Compact requests, 16-byte simple replies only (no block status). */
    SIMPLE,
    /** Compact requests, structured reply chunks ({@code NBD_OPT_STRUCTURED_REPLY}). */
    STRUCTURED,
    /** 32-byte requests and reply chunks with 64-bit lengths ({@code NBD_OPT_EXTENDED_HEADERS}). */
    EXTENDED
}
