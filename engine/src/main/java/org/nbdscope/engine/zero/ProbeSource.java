package org.nbdscope.engine.zero;

/** Where a zero-probe answer came from, cheapest first (issue 5). */
public enum ProbeSource {
    /** {@code NBD_INFO_INIT_STATE} from the handshake: 0 extra round trips. */
    ZERO_FLAG,
    /** One whole-export 64-bit {@code NBD_CMD_BLOCK_STATUS} with {@code REQ_ONE} (extended headers). */
    BLOCK_STATUS_64,
    /** 32-bit block status, chunked, stopping at the first extent that is not zero. */
    BLOCK_STATUS_32,
    /** Reading the bytes and comparing them with zero (explicit opt-in only). */
    READ,
    /** {@code SEEK_DATA}/{@code SEEK_HOLE} on a raw file. */
    FILE_SEEK,
    /** The L1/L2 tables of a qcow2 image. */
    QCOW2_TABLES,
    /** No source could answer. */
    NONE
}
