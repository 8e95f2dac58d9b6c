package org.nbdscope.engine.nbd.client;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPipeline;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdError;
import org.nbdscope.engine.proto.NbdInfo;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.TransmissionFlags;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.source.SourceDetails;
import org.nbdscope.engine.source.SourceException;
import org.nbdscope.engine.source.WireCounters;
import org.nbdscope.engine.source.WireStats;

/**
 * One NBD connection in the transmission phase. Thread-safe: any number of requests may be in flight,
 * each with its own cookie; futures complete on the connection's event loop (never block in a callback).
 *
 * <p>Requests obey the server's constraints: READ and WRITE are split at the maximum payload (at most
 * 32 MiB), offsets and lengths must be multiples of the minimum block size, and without extended headers
 * TRIM, WRITE_ZEROES and CACHE are split into requests that fit the 32-bit length field. Commands the
 * server does not advertise fail at once, naming the missing transmission flag.
 */
public final class NbdConnection implements BlockSource {
    /** The largest READ/WRITE payload this client sends, even if the server allows more. */
    public static final long MAX_IO = 32L << 20;
    /** The largest length a compact request can carry. */
    static final long COMPACT_MAX = 0xFFFFFFFFL;
    /** Block-status requests worth keeping in flight (enough to hide a WAN round trip). */
    static final int IN_FLIGHT = 32;

    private final NbdUri uri;
    private final ClientOptions options;
    private final Channel channel;
    private final Negotiated negotiated;
    private final WireCounters counters;
    private final Map<Integer, String> contextNames = new LinkedHashMap<>();
    private final ConcurrentHashMap<Long, Pending<?>> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong cookies = new AtomicLong();
    private final long minimum;
    private final long ioChunk;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Throwable death;
    private volatile boolean closing;

    NbdConnection(NbdUri uri, ClientOptions options, Channel channel, Negotiated negotiated, WireCounters counters) {
        this.uri = uri;
        this.options = options;
        this.channel = channel;
        this.negotiated = negotiated;
        this.counters = counters;
        negotiated.metaContexts().forEach((name, id) -> contextNames.put(id, name));
        this.minimum = Math.max(1, negotiated.minimumBlockSize());
        long max = negotiated.maximumPayload() > 0 ? Math.min(MAX_IO, negotiated.maximumPayload()) : MAX_IO;
        this.ioChunk = Math.max(minimum, max / minimum * minimum);
    }

    /** Swaps the handshake handlers for the transmission ones; runs on the event loop. */
    void install() {
        ChannelPipeline p = channel.pipeline();
        p.addAfter("options", "replies", new ReplyDecoder(negotiated.headerMode(), ioChunk, this::requestOf));
        p.addAfter("replies", "dispatch", new Dispatcher(this));
        p.addBefore("options", "requests", new RequestEncoder(negotiated.headerMode()));
        p.remove("handshake");
        p.remove("options");
        long period = Math.clamp(options.requestTimeout().toMillis() / 8, 10, 1000);
        ScheduledFuture<?> reaper = channel.eventLoop().scheduleAtFixedRate(this::expire, period, period, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> {
            reaper.cancel(false);
            die(null);
            closed.complete(null);
        });
    }

    /**
     * Fails the requests whose time is up (event loop). One periodic check per connection, every eighth of
     * the request timeout (10 ms to 1 s), instead of a timer per request: scheduling and cancelling one for
     * each of hundreds of block-status requests costs more than the requests' own handling at start-up.
     */
    private void expire() {
        if (inFlight.isEmpty()) return;
        long now = channel.eventLoop().ticker().nanoTime();
        for (Pending<?> p : inFlight.values()) {
            if (now - p.deadline >= 0 && !p.future.isDone()) timeout(p);
        }
    }

    private NbdRequest requestOf(long cookie) {
        Pending<?> p = inFlight.get(cookie);
        return p == null ? null : p.request;
    }

    // ---- what was negotiated ----

    public Negotiated negotiated() { return negotiated; }

    public NbdUri uri() { return uri; }

    /** True until the connection is closed or lost. */
    public boolean isOpen() { return death == null && !closing && channel.isActive(); }

    @Override
    public String name() { return displayName != null ? displayName : uri.toString(); }

    private volatile String displayName;

    /** Shows this connection as {@code name} instead of its URI (the built-in demo is "demo", not a temp socket). */
    public NbdConnection named(String name) {
        this.displayName = name;
        return this;
    }

    @Override
    public long size() { return negotiated.size(); }

    @Override
    public boolean readOnly() { return options.readOnly() || negotiated.readOnly(); }

    @Override
    public List<String> contexts() {
        List<String> out = new ArrayList<>();
        if (negotiated.metaContexts().containsKey(BlockStatusFlags.BASE_ALLOCATION)) out.add(BlockStatusFlags.BASE_ALLOCATION);
        for (String c : negotiated.metaContexts().keySet()) if (!out.contains(c)) out.add(c);
        return out;
    }

    /**
     * With extended headers the whole export; otherwise the largest multiple of the minimum block size
     * (512 when not advertised) below 4 GiB, so 1 TiB takes 257 requests as with nbdinfo.
     */
    @Override
    public long maxStatusLength() {
        if (negotiated.headerMode() == HeaderMode.EXTENDED) return Math.max(1, negotiated.size());
        // aligned to the preferred block size where one is sent (servers may end answers on it, so an
        // unaligned request end costs an extra request per segment), else to the minimum, else 512
        long align = negotiated.blockSizeSent() ? Math.max(minimum, Math.min(negotiated.preferredBlockSize(), 1 << 20)) : 512;
        return COMPACT_MAX / align * align;
    }

    @Override
    public int preferredInFlight() { return IN_FLIGHT; }

    @Override
    public WireStats stats() { return counters.snapshot(); }

    /** The live counters of this connection. */
    public WireCounters counters() { return counters; }

    // ---- commands ----

    /** Reads {@code length} bytes at {@code offset}, split into requests of at most the maximum payload. */
    public CompletableFuture<byte[]> read(long offset, int length) {
        String bad = check(NbdCommand.READ, offset, length, 0);
        if (bad != null) return failed(NbdCommand.READ, offset, length, bad);
        byte[] buf = new byte[length];
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (long pos = 0; pos < length; pos += ioChunk) {
            long n = Math.min(ioChunk, length - pos);
            parts.add(submit(new ReadPending(request(NbdCommand.READ, 0, offset + pos, n), buf, (int) pos), null));
        }
        return all(parts).thenApply(v -> buf);
    }

    /** Writes {@code data} at {@code offset}; {@code flags} may hold {@link NbdCommand#FLAG_FUA}. */
    public CompletableFuture<Void> write(long offset, byte[] data, int flags) {
        String bad = check(NbdCommand.WRITE, offset, data.length, flags);
        if (bad != null) return failed(NbdCommand.WRITE, offset, data.length, bad);
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (long pos = 0; pos < data.length; pos += ioChunk) {
            int n = (int) Math.min(ioChunk, data.length - pos);
            parts.add(submit(new VoidPending(request(NbdCommand.WRITE, flags, offset + pos, n)),
                Unpooled.wrappedBuffer(data, (int) pos, n)));
        }
        return all(parts);
    }

    public CompletableFuture<Void> flush() {
        String bad = check(NbdCommand.FLUSH, 0, 0, 0);
        if (bad != null) return failed(NbdCommand.FLUSH, 0, 0, bad);
        return submit(new VoidPending(request(NbdCommand.FLUSH, 0, 0, 0)), null);
    }

    /** Trims (discards) a range; {@code flags} may hold {@link NbdCommand#FLAG_FUA}. */
    public CompletableFuture<Void> trim(long offset, long length, int flags) {
        return effect(NbdCommand.TRIM, offset, length, flags);
    }

    /**
     * Writes zeroes over a range without a payload. {@code flags}: {@link NbdCommand#FLAG_FAST_ZERO} (fail
     * at once with {@code NBD_ENOTSUP} unless zeroing is cheap), {@link NbdCommand#FLAG_NO_HOLE},
     * {@link NbdCommand#FLAG_FUA}. With extended headers this is one request however long the range.
     */
    public CompletableFuture<Void> writeZeroes(long offset, long length, int flags) {
        return effect(NbdCommand.WRITE_ZEROES, offset, length, flags);
    }

    /** Asks the server to cache a range. */
    public CompletableFuture<Void> cache(long offset, long length) {
        return effect(NbdCommand.CACHE, offset, length, 0);
    }

    private CompletableFuture<Void> effect(NbdCommand command, long offset, long length, int flags) {
        String bad = check(command, offset, length, flags);
        if (bad != null) return failed(command, offset, length, bad);
        long step = negotiated.headerMode() == HeaderMode.EXTENDED ? Long.MAX_VALUE : COMPACT_MAX / minimum * minimum;
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (long pos = 0; pos < length; pos += Math.min(step, length - pos)) {
            parts.add(submit(new VoidPending(request(command, flags, offset + pos, Math.min(step, length - pos))), null));
        }
        return all(parts);
    }

    /**
     * One {@code NBD_CMD_BLOCK_STATUS} for all selected meta contexts. The length is a hint, cut to
     * {@link #maxStatusLength()} and to the end of the export; the answer may cover only a prefix.
     * {@code flags} may hold {@link NbdCommand#FLAG_REQ_ONE}.
     */
    public CompletableFuture<BlockStatus> blockStatus(long offset, long length, int flags) {
        if (contextNames.isEmpty()) return failed(NbdCommand.BLOCK_STATUS, offset, length, noContext(BlockStatusFlags.BASE_ALLOCATION));
        if ((flags & ~NbdCommand.FLAG_REQ_ONE) != 0) {
            return failed(NbdCommand.BLOCK_STATUS, offset, length, "only NBD_CMD_FLAG_REQ_ONE is valid, not flags 0x" + Integer.toHexString(flags));
        }
        if (offset >= 0 && length > 0 && offset < size()) length = Math.min(length, Math.min(maxStatusLength(), size() - offset));
        String bad = check(NbdCommand.BLOCK_STATUS, offset, length, flags);
        if (bad != null) return failed(NbdCommand.BLOCK_STATUS, offset, length, bad);
        if (length == 0) return failed(NbdCommand.BLOCK_STATUS, offset, length, "empty range");
        return submit(new StatusPending(request(NbdCommand.BLOCK_STATUS, flags, offset, length), contextNames,
            negotiated.headerMode() == HeaderMode.EXTENDED), null);
    }

    @Override
    public CompletableFuture<ExtentBatch> blockStatus(String context, long offset, long length, boolean reqOne) {
        if (!negotiated.metaContexts().containsKey(context)) {
            return CompletableFuture.failedFuture(new SourceException(noContext(context)));
        }
        return blockStatus(offset, length, reqOne ? NbdCommand.FLAG_REQ_ONE : 0).thenApply(s -> s.get(context));
    }

    private String noContext(String context) {
        String why = negotiated.headerMode() == HeaderMode.SIMPLE
            ? " (it supports neither structured replies nor extended headers, so it has no block status)"
            : negotiated.metaContexts().isEmpty() ? " (it selected no meta context)" : " (selected: " + String.join(", ", negotiated.metaContexts().keySet()) + ")";
        return "the server " + Transport.describe(uri) + " offers no " + context + " meta context" + why;
    }

    /** Why a request may not be sent, or null. */
    private String check(NbdCommand c, long offset, long length, int flags) {
        if (offset < 0 || length < 0) return "negative offset or length";
        if (c != NbdCommand.FLUSH && length > size() - offset) {
            return "range " + offset + "+" + length + " lies past the end of the export (size " + size() + ")";
        }
        boolean writes = c == NbdCommand.WRITE || c == NbdCommand.TRIM || c == NbdCommand.WRITE_ZEROES;
        if (writes && readOnly()) {
            return "the export is read-only" + (negotiated.readOnly() ? "" : " (opened read-only)");
        }
        String flag = switch (c) {
            case FLUSH -> need(TransmissionFlags.SEND_FLUSH, "NBD_FLAG_SEND_FLUSH");
            case TRIM -> need(TransmissionFlags.SEND_TRIM, "NBD_FLAG_SEND_TRIM");
            case WRITE_ZEROES -> need(TransmissionFlags.SEND_WRITE_ZEROES, "NBD_FLAG_SEND_WRITE_ZEROES");
            case CACHE -> need(TransmissionFlags.SEND_CACHE, "NBD_FLAG_SEND_CACHE");
            default -> null;
        };
        if (flag != null) return flag;
        if ((flags & NbdCommand.FLAG_FUA) != 0 && (flag = need(TransmissionFlags.SEND_FUA, "NBD_FLAG_SEND_FUA")) != null) return flag;
        if ((flags & NbdCommand.FLAG_FAST_ZERO) != 0) {
            if (c != NbdCommand.WRITE_ZEROES) return "NBD_CMD_FLAG_FAST_ZERO is only valid for WRITE_ZEROES";
            if ((flag = need(TransmissionFlags.SEND_FAST_ZERO, "NBD_FLAG_SEND_FAST_ZERO")) != null) return flag;
        }
        if ((flags & NbdCommand.FLAG_NO_HOLE) != 0 && c != NbdCommand.WRITE_ZEROES) return "NBD_CMD_FLAG_NO_HOLE is only valid for WRITE_ZEROES";
        if ((flags & NbdCommand.FLAG_PAYLOAD_LEN) != 0) return "NBD_CMD_FLAG_PAYLOAD_LEN is set by the client itself";
        if (minimum > 1 && c != NbdCommand.FLUSH) {
            boolean tail = offset + length == size();
            if (offset % minimum != 0 || (!tail && length % minimum != 0)) {
                return "offset " + offset + " and length " + length + " must be multiples of the minimum block size " + minimum;
            }
        }
        return null;
    }

    private String need(int bit, String name) {
        return negotiated.has(bit) ? null : "the server does not advertise " + name;
    }

    private NbdRequest request(NbdCommand c, int flags, long offset, long length) {
        return new NbdRequest(c, flags, cookies.incrementAndGet(), offset, length, null);
    }

    private <T> CompletableFuture<T> submit(Pending<T> p, ByteBuf payload) {
        NbdRequest r = p.request;
        Throwable d = death;
        if (d != null || closing) {
            if (payload != null) payload.release();
            p.future.completeExceptionally(new NbdConnectionLostException(r.command(), r.offset(), r.length(),
                d == null ? "the connection is closing" : "connection lost: " + Handshake.message(d)));
            return p.future;
        }
        p.deadline = channel.eventLoop().ticker().nanoTime() + options.requestTimeout().toNanos();
        inFlight.put(r.cookie(), p);
        counters.request(r.command());
        NbdRequest wire = payload == null ? r : new NbdRequest(r.command(), r.flags(), r.cookie(), r.offset(), r.length(), payload);
        channel.writeAndFlush(wire).addListener(f -> {
            if (!f.isSuccess() && inFlight.remove(r.cookie(), p)) {
                p.future.completeExceptionally(new NbdConnectionLostException(r.command(), r.offset(), r.length(),
                    "sending the request failed: " + Handshake.message(death != null ? death : f.cause())));
            }
        });
        return p.future;
    }

    private void timeout(Pending<?> p) {
        if (p.future.isDone()) return;
        p.abandoned = true;
        NbdRequest r = p.request;
        p.future.completeExceptionally(new NbdCommandException(r.command(), r.offset(), r.length(), 0, null,
            "no reply within " + NetErrors.seconds(options.requestTimeout()) + " (request timeout)"));
    }

    /** A framed reply for a request in flight (event loop). */
    void onReply(Reply r) {
        Pending<?> p = inFlight.get(r.cookie());
        if (p == null) {
            if (r instanceof Reply.Data d) d.data().release();
            if (r instanceof Reply.Simple s && s.data() != null) s.data().release();
            return;
        }
        p.apply(r);
        if (!r.done()) return;
        inFlight.remove(r.cookie());
        counters.roundTrip();
        if (p.serverFailed()) counters.serverError();
        if (!p.abandoned) p.finish();
        if (p.future.isCompletedExceptionally() && shutdownError(p)) disconnect();
    }

    private static boolean shutdownError(Pending<?> p) {
        try {
            p.future.getNow(null);
            return false;
        } catch (Exception e) {
            return e.getCause() instanceof NbdCommandException c && c.error() == NbdError.ESHUTDOWN.code();
        }
    }

    /** The connection is dead (cause null: closed): fail everything in flight. */
    void die(Throwable cause) {
        if (death == null) {
            death = cause != null ? cause
                : new SourceException(closing ? "the connection was closed" : "the server " + Transport.describe(uri) + " closed the connection");
        }
        String why = "connection lost: " + Handshake.message(death);
        for (Long cookie : List.copyOf(inFlight.keySet())) {
            Pending<?> p = inFlight.remove(cookie);
            if (p == null) continue;
            p.future.completeExceptionally(new NbdConnectionLostException(p.request.command(), p.request.offset(), p.request.length(), why));
        }
    }

    /** Why the connection died, or null while it lives. */
    public Throwable failure() { return death; }

    /**
     * Soft disconnect: refuses new requests, waits for those in flight (each bounded by the request
     * timeout), sends {@code NBD_CMD_DISC} and closes. Completes when the channel is closed.
     */
    public CompletableFuture<Void> disconnect() {
        synchronized (this) {
            if (closing) return closed;
            closing = true;
        }
        List<CompletableFuture<?>> outstanding = new ArrayList<>();
        for (Pending<?> p : inFlight.values()) outstanding.add(p.future);
        CompletableFuture.allOf(outstanding.toArray(CompletableFuture[]::new)).handle((v, e) -> {
            if (channel.isActive() && death == null) {
                counters.request(NbdCommand.DISC);
                channel.writeAndFlush(request(NbdCommand.DISC, 0, 0, 0)).addListener(ChannelFutureListener.CLOSE);
            } else {
                channel.close();
            }
            return null;
        });
        return closed;
    }

    /** {@link #disconnect()} and wait for it (not on the event loop), then close hard if needed. */
    @Override
    public void close() {
        CompletableFuture<Void> f = disconnect();
        if (channel.eventLoop().inEventLoop()) {
            f.whenComplete((v, e) -> closeOwned());
            return;
        }
        try {
            f.get(options.requestTimeout().toMillis() + 5000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
        } catch (ExecutionException | TimeoutException e) {
            channel.close();
        }
        closeOwned();
    }

    private final java.util.List<AutoCloseable> owned = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Closes {@code resource} when this connection closes: an in-process server started only for this
     * connection (the built-in demo) lives exactly as long as the connection.
     */
    public NbdConnection closeWith(AutoCloseable resource) {
        owned.add(resource);
        return this;
    }

    private void closeOwned() {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                // the connection is already closed; a failure to stop what it owned changes nothing for the caller
            }
        }
        owned.clear();
    }

    // ---- details ----

    @Override
    public SourceDetails details() {
        Negotiated n = negotiated;
        SourceDetails d = new SourceDetails();
        d.add("Export", "URI", uri);
        d.add("Export", "Export name", n.exportName().isEmpty() ? "(default)" : n.exportName());
        if (n.description() != null) d.add("Export", "Description", n.description());
        d.add("Export", "Size", n.size());
        d.add("Export", "Read-only", n.readOnly() ? "yes" : "no");
        d.add("Export", "Transmission flags", String.format("0x%04x: %s", n.transmissionFlags(), String.join(", ", TransmissionFlags.words(n.transmissionFlags()))));
        d.add("Negotiated", "Transport", uri.unix() ? "Unix socket " + uri.socketPath() : "TCP " + Transport.describe(uri));
        d.add("Negotiated", "Protocol", n.protocol());
        d.add("Negotiated", "TLS", n.tls() ? "yes" : "no");
        d.add("Negotiated", "Header mode", n.headerMode().name().toLowerCase(java.util.Locale.ROOT));
        d.add("Negotiated", "Export chosen with", NbdOption.name(n.finalOption().code()));
        List<String> ctx = new ArrayList<>();
        n.metaContexts().forEach((name, id) -> ctx.add(name + " (id " + id + ")"));
        d.add("Negotiated", "Meta contexts", ctx.isEmpty() ? "none" : String.join(", ", ctx));
        if (!n.availableContexts().isEmpty()) d.add("Negotiated", "Available contexts", String.join(", ", n.availableContexts()));
        d.add("Negotiated", "Minimum block size", n.blockSizeSent() ? n.minimumBlockSize() : "not sent");
        d.add("Negotiated", "Preferred block size", n.blockSizeSent() ? n.preferredBlockSize() : "not sent");
        d.add("Negotiated", "Maximum payload", n.blockSizeSent() ? n.maximumPayload() : "not sent");
        d.add("Negotiated", "Zero flag (NBD_INFO_INIT_STATE)", initState(n.initState()));
        return d;
    }

    static String initState(Integer flags) {
        if (flags == null) return "not sent";
        List<String> words = new ArrayList<>();
        if ((flags & NbdInfo.INIT_ZERO) != 0) words.add("zero");
        if ((flags & NbdInfo.INIT_SPARSE) != 0) words.add("sparse");
        if (words.isEmpty()) words.add("not known to be zero");
        return String.join(", ", words) + String.format(" (0x%04x)", flags);
    }

    // ---- helpers ----

    private static <T> CompletableFuture<T> failed(NbdCommand c, long offset, long length, String why) {
        return CompletableFuture.failedFuture(new NbdCommandException(c, offset, length, 0, null, why));
    }

    /** Completes when every part did; fails with the first part's failure. */
    private static CompletableFuture<Void> all(List<CompletableFuture<Void>> parts) {
        if (parts.size() == 1) return parts.getFirst();
        CompletableFuture<Void> out = new CompletableFuture<>();
        CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            for (CompletableFuture<Void> p : parts) {
                if (p.isCompletedExceptionally()) {
                    p.whenComplete((x, err) -> out.completeExceptionally(err));
                    return;
                }
            }
            out.complete(null);
        });
        return out;
    }
}
