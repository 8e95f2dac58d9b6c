package org.nbdscope.engine.nbd.server.backend;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * What an NBD export serves: a fixed-size byte array with allocation status. Implementations are
 * thread-safe (several connections may use one backend at once). Offsets and lengths passed in are
 * already checked against {@link #size()} by the server.
 *
 * <p>Failures are {@link IOException}s; a {@link BackendException} carries the NBD error to send.
 */
public interface Backend extends Closeable {

    /** Virtual size in bytes. */
    long size();

    /** False when the backend can never be written (the demo disk, a file opened read-only). */
    boolean writable();

    /** Size constraints advertised with {@code NBD_INFO_BLOCK_SIZE} and enforced by the server. */
    BlockSizes blockSizes();

    /** Fills {@code dst} from its position to its limit with the bytes at {@code offset}. */
    void read(long offset, ByteBuffer dst) throws IOException;

    /** Writes {@code src} from its position to its limit at {@code offset}. */
    void write(long offset, ByteBuffer src) throws IOException;

    /**
     * Makes {@code [offset, offset + length)} read as zero.
     *
     * @param mayPunch false for {@code NBD_CMD_FLAG_NO_HOLE}: the range must stay allocated
     * @param fastOnly true for {@code NBD_CMD_FLAG_FAST_ZERO}: succeed only when this is cheaper than
     *     writing zeroes (a hole punch, dropping memory blocks); otherwise change nothing and return false
     * @return false only when {@code fastOnly} is set and zeroing would be no faster than writing
     */
    boolean zero(long offset, long length, boolean mayPunch, boolean fastOnly) throws IOException;

    /** {@code NBD_CMD_TRIM}: may deallocate whole blocks of the range; contents afterwards are unspecified. */
    void trim(long offset, long length) throws IOException;

    /** Makes completed writes durable. */
    void flush() throws IOException;

    /**
     * Reports the allocation status ({@code base:allocation} bits) from {@code offset} onwards as
     * consecutive, non-empty extents, until the end of the backend or until {@code sink} returns false.
     */
    void extents(long offset, ExtentSink sink) throws IOException;

    /**
     * The zero-flag bits known right now ({@code NbdInfo.INIT_SPARSE}, {@code NbdInfo.INIT_ZERO}); a bit
     * is set only when the backend knows it for certain.
     */
    int initState() throws IOException;

    /** One line for logs and the {@code serve} banner: "sparse memory disk, 1 TiB". */
    String description();

    /** Receives extents from {@link #extents}. */
    @FunctionalInterface
    interface ExtentSink {
        /** @return false to stop */
        boolean extent(long length, int status);
    }
}
