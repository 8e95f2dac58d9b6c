package org.nbdscope.engine.source;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Something with a size and block status: an NBD export or an image file. The scanner, the zero probe,
 * the heat-map and the session files only ever see this.
 *
 * <p>Implementations are thread-safe: several {@link #blockStatus} calls may be outstanding at once.
 */
public interface BlockSource extends AutoCloseable {

    /** Short display name: the URI (without secrets) or the file path. */
    String name();

    /** Virtual size in bytes. */
    long size();

    /** True when writes are refused (read-only export, read-only file, or opened read-only). */
    boolean readOnly();

    /** Meta contexts this source can report, the default ({@code base:allocation}) first; empty if none. */
    List<String> contexts();

    /** Largest range one {@link #blockStatus} call should cover (for 32-bit NBD just under 4 GiB). */
    long maxStatusLength();

    /** How many {@link #blockStatus} calls are worth keeping in flight at once. */
    int preferredInFlight();

    /**
     * Block status for {@code [offset, offset + length)} in {@code context}. The result starts at
     * {@code offset}, is non-empty, and may cover only a prefix of the range; it never runs past it.
     * With {@code reqOne} the source returns a single extent (NBD_CMD_FLAG_REQ_ONE).
     * Fails with {@link SourceException} when the context is not available or the request fails.
     */
    CompletableFuture<ExtentBatch> blockStatus(String context, long offset, long length, boolean reqOne);

    /** What was negotiated or parsed, as ordered name/value rows for the export details view. */
    SourceDetails details();

    /** Wire or I/O counters since open. */
    WireStats stats();

    @Override
    void close();
}
