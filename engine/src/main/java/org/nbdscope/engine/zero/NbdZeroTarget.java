package org.nbdscope.engine.zero;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import org.nbdscope.engine.nbd.client.HeaderMode;
import org.nbdscope.engine.nbd.client.NbdCommandException;
import org.nbdscope.engine.nbd.client.NbdConnection;
import org.nbdscope.engine.nbd.client.Negotiated;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.TransmissionFlags;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.source.SourceDetails;
import org.nbdscope.engine.source.WireStats;

/**
 * An NBD connection as a {@link ZeroTarget}: capabilities from what the handshake negotiated, commands through
 * the connection, and its failures translated so the ladder sees the server's NBD error value. Closing the
 * target closes the connection.
 */
public final class NbdZeroTarget implements ZeroTarget {
    private final NbdConnection conn;
    private final Negotiated n;
    private volatile byte[] zeros;

    public NbdZeroTarget(NbdConnection conn) {
        this.conn = conn;
        this.n = conn.negotiated();
    }

    /** The connection underneath. */
    public NbdConnection connection() { return conn; }

    @Override public String name() { return conn.name(); }
    @Override public long size() { return conn.size(); }
    @Override public boolean readOnly() { return conn.readOnly(); }
    @Override public List<String> contexts() { return conn.contexts(); }
    /**
     * The connection's limit, and without 64-bit lengths also a multiple of the preferred block size: a server may
     * end its answer at a preferred-block boundary, and an unaligned 4 GiB - 1 request would then need a second,
     * tiny one for its tail (511 instead of 257 requests per TiB).
     */
    @Override
    public long maxStatusLength() {
        long s = conn.maxStatusLength();
        if (wideLengths()) return s;
        long align = Math.max(minimumBlockSize(), Math.max(1, n.preferredBlockSize()));
        return Math.max(align, s / align * align);
    }
    @Override public int preferredInFlight() { return conn.preferredInFlight(); }
    @Override public SourceDetails details() { return conn.details(); }
    @Override public WireStats stats() { return conn.stats(); }
    @Override public void close() { conn.close(); }
    @Override public TargetKind kind() { return TargetKind.NBD; }
    @Override public String confirmationName() { return n.exportName().isEmpty() ? conn.name() : n.exportName(); }
    @Override public InitState initState() { return InitState.of(n.initState()); }
    @Override public String headerMode() { return n.headerMode().name().toLowerCase(Locale.ROOT); }
    @Override public boolean wideLengths() { return n.headerMode() == HeaderMode.EXTENDED; }
    @Override public boolean canBlockStatus() { return n.metaContexts().containsKey(BlockStatusFlags.BASE_ALLOCATION); }
    @Override public boolean canWriteZeroes() { return n.has(TransmissionFlags.SEND_WRITE_ZEROES); }
    @Override public boolean canFastZero() { return n.has(TransmissionFlags.SEND_WRITE_ZEROES) && n.has(TransmissionFlags.SEND_FAST_ZERO); }
    @Override public boolean canTrim() { return n.has(TransmissionFlags.SEND_TRIM); }
    @Override public long minimumBlockSize() { return Math.max(1, n.minimumBlockSize()); }
    @Override public long preferredBlockSize() { return n.preferredBlockSize(); }
    @Override public long maximumPayload() { return n.maximumPayload(); }

    @Override
    public int maxWriteLength() {
        long m = n.maximumPayload() > 0 ? Math.min(n.maximumPayload(), NbdConnection.MAX_IO) : NbdConnection.MAX_IO;
        long align = minimumBlockSize();
        return (int) Math.max(align, m / align * align);
    }

    @Override
    public long maxZeroLength() {
        return wideLengths() ? Long.MAX_VALUE : ZeroTarget.max32(minimumBlockSize(), n.preferredBlockSize());
    }

    @Override
    public boolean modifiedSinceOpen() {
        WireStats d = conn.stats(); // counted since the handshake, whoever sent them
        return d.requests(NbdCommand.WRITE) + d.requests(NbdCommand.WRITE_ZEROES) + d.requests(NbdCommand.TRIM) > 0;
    }

    @Override
    public CompletableFuture<ExtentBatch> blockStatus(String context, long offset, long length, boolean reqOne) {
        return conn.blockStatus(context, offset, length, reqOne);
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long offset, long length, int flags) {
        return translate(conn.writeZeroes(offset, length, flags));
    }

    @Override
    public CompletableFuture<Void> writeZeroBytes(long offset, int length) {
        byte[] z = zeros;
        if (z == null || z.length < length) zeros = z = new byte[Math.max(length, maxWriteLength())];
        byte[] data = z.length == length ? z : java.util.Arrays.copyOf(z, length);
        return translate(conn.write(offset, data, 0));
    }

    @Override
    public CompletableFuture<ByteBuffer> read(long offset, int length) {
        return translate(conn.read(offset, length).thenApply(ByteBuffer::wrap));
    }

    /** Turns the client's command failures into {@link TargetCommandException}s carrying the NBD error value. */
    private static <T> CompletableFuture<T> translate(CompletableFuture<T> f) {
        return f.handle((v, e) -> {
            if (e == null) return CompletableFuture.completedFuture(v);
            Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (c instanceof NbdCommandException x) {
                return CompletableFuture.<T>failedFuture(new TargetCommandException(x.command(), x.offset(), x.length(),
                    x.error(), x.getMessage(), x));
            }
            return CompletableFuture.<T>failedFuture(c);
        }).thenCompose(Function.identity());
    }
}
