package org.nbdscope.engine.nbd.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.client.HandshakeMessage.Ack;
import org.nbdscope.engine.nbd.client.HandshakeMessage.Error;
import org.nbdscope.engine.nbd.client.HandshakeMessage.ExportNameReply;
import org.nbdscope.engine.nbd.client.HandshakeMessage.Greeting;
import org.nbdscope.engine.nbd.client.HandshakeMessage.Info;
import org.nbdscope.engine.nbd.client.HandshakeMessage.MetaContext;
import org.nbdscope.engine.nbd.client.HandshakeMessage.OptionReply;
import org.nbdscope.engine.nbd.client.HandshakeMessage.Server;
import org.nbdscope.engine.proto.HandshakeFlags;
import org.nbdscope.engine.proto.NbdInfo;
import org.nbdscope.engine.proto.NbdMagic;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.NbdOptionReply;
import org.nbdscope.engine.source.SourceException;
import org.nbdscope.engine.source.WireCounters;

/**
 * The client side of the fixed-newstyle handshake as a state machine with named states, in the order
 * libnbd uses: {@code STARTTLS → EXTENDED_HEADERS → STRUCTURED_REPLY → META_CONTEXT → GO}. Fallbacks are
 * transitions: {@code EXTENDED_HEADERS} refused → {@code STRUCTURED_REPLY}; refused → simple replies;
 * {@code GO} answered {@code NBD_REP_ERR_UNSUP} → {@code EXPORT_NAME}. For {@code nbds} URIs a refused
 * {@code STARTTLS} ends the handshake: TLS or failure, never a silent downgrade.
 *
 * <p>In {@link Goal#LIST} mode the machine goes {@code STARTTLS → LIST → ABORT} instead. In
 * {@link Goal#DETAILS} mode it negotiates the header mode as for a connection, then goes {@code LIST},
 * then {@code INFO → INFO_CONTEXTS} for each export, then {@code ABORT}: the details of every export
 * without entering transmission, as {@code nbdinfo --list} gathers them.
 */
final class Handshake extends ChannelInboundHandlerAdapter {

    enum Goal { CONNECT, LIST, DETAILS }

    /** Named states; each option state sends its option on entry and handles the replies to it. */
    enum State {
        GREETING, STARTTLS, TLS_HANDSHAKE, EXTENDED_HEADERS, STRUCTURED_REPLY, LIST_META_CONTEXT, SET_META_CONTEXT,
        GO, EXPORT_NAME, LIST, INFO, INFO_CONTEXTS, READY, DEAD
    }

    /** Information items requested with GO and INFO. */
    private static final NbdInfo[] INFO_REQUESTS = {NbdInfo.EXPORT, NbdInfo.NAME, NbdInfo.DESCRIPTION, NbdInfo.BLOCK_SIZE, NbdInfo.INIT_STATE};

    private final NbdUri uri;
    private final ClientOptions options;
    private final WireCounters counters;
    private final Goal goal;
    private final OptionReplyDecoder decoder;
    /** Completed on the event loop with the negotiated state ({@link Goal#CONNECT}). */
    final CompletableFuture<Negotiated> negotiated = new CompletableFuture<>();
    /** Completed with the exports ({@link Goal#LIST}). */
    final CompletableFuture<List<ExportEntry>> exports = new CompletableFuture<>();
    /** Completed with every export's details ({@link Goal#DETAILS}). */
    final CompletableFuture<ExportListing> listing = new CompletableFuture<>();

    private ChannelHandlerContext ctx;
    private State state = State.GREETING;
    private ScheduledFuture<?> timer;
    private int serverFlags;
    private boolean tlsDone;
    private HeaderMode headerMode = HeaderMode.SIMPLE;
    private final Map<String, Integer> contexts = new LinkedHashMap<>();
    private final List<String> available = new ArrayList<>();
    private final List<ExportEntry> listed = new ArrayList<>();
    /** What GO, or the current export's INFO, has told so far. */
    private final InfoItems info = new InfoItems();
    // DETAILS: the export being described and what is known
    private final List<ExportDetails> described = new ArrayList<>();
    private int describing;
    private final List<String> exportContexts = new ArrayList<>();
    private ExportDetails current;

    Handshake(NbdUri uri, ClientOptions options, WireCounters counters, Goal goal) {
        this.uri = uri;
        this.options = options;
        this.counters = counters;
        this.goal = goal;
        this.decoder = new OptionReplyDecoder();
    }

    /** Adds the byte counter, the option-reply decoder and this handler to a new channel's pipeline. */
    void install(io.netty.channel.ChannelPipeline p) {
        p.addLast("wire", new WireCountingHandler(counters));
        p.addLast("options", decoder);
        p.addLast("handshake", this);
    }

    /** The connection once negotiated: transmission handlers installed on the event loop at once. */
    CompletableFuture<NbdConnection> connection(io.netty.channel.Channel channel) {
        return negotiated.thenApply(n -> {
            NbdConnection c = new NbdConnection(uri, options, channel, n, counters);
            c.install();
            return c;
        });
    }

    State state() { return state; }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        arm("the server's greeting", options.connectTimeout().toMillis(), "connect timeout");
    }

    // ---- messages ----

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (state == State.DEAD) return;
        try {
            switch ((HandshakeMessage) msg) {
                case Greeting g -> onGreeting(g);
                case ExportNameReply r -> onExportNameReply(r);
                case OptionReply r -> onOptionReply(r);
            }
        } catch (SourceException e) {
            fail(e);
        }
    }

    private void onOptionReply(OptionReply r) {
        switch (state) {
            case STARTTLS -> onStartTls(r);
            case EXTENDED_HEADERS -> onExtendedHeaders(r);
            case STRUCTURED_REPLY -> onStructuredReply(r);
            case LIST_META_CONTEXT -> onListMetaContext(r);
            case SET_META_CONTEXT -> onSetMetaContext(r);
            case GO -> onGo(r);
            case LIST -> onList(r);
            case INFO -> onInfo(r);
            case INFO_CONTEXTS -> onInfoContexts(r);
            case GREETING, TLS_HANDSHAKE, EXPORT_NAME, READY, DEAD ->
                throw new NbdProtocolException("unexpected option reply " + r + " in state " + state);
        }
    }

    // ---- GREETING ----

    private void onGreeting(Greeting g) {
        serverFlags = g.handshakeFlags();
        boolean fixed = (serverFlags & HandshakeFlags.FIXED_NEWSTYLE) != 0;
        int clientFlags = (fixed ? HandshakeFlags.C_FIXED_NEWSTYLE : 0)
            | ((serverFlags & HandshakeFlags.NO_ZEROES) != 0 ? HandshakeFlags.C_NO_ZEROES : 0);
        ctx.write(ctx.alloc().buffer(4).writeInt(clientFlags));
        if (!fixed) {
            if (uri.tls()) throw new SourceException("the server does not support fixed newstyle negotiation, so it cannot do TLS (" + uri.scheme() + ")");
            if (goal != Goal.CONNECT) throw new SourceException("cannot list exports: the server does not support fixed newstyle negotiation");
            enterExportName();
            return;
        }
        afterTls();
    }

    /** The first state after the greeting, and again after a TLS handshake. */
    private void afterTls() {
        if (uri.tls() && !tlsDone) {
            enter(State.STARTTLS, NbdOption.STARTTLS, null);
        } else if (goal == Goal.LIST) {
            enter(State.LIST, NbdOption.LIST, null);
        } else if (options.maxHeaderMode() == HeaderMode.EXTENDED && (options.useGo() || goal == Goal.DETAILS)) {
            enter(State.EXTENDED_HEADERS, NbdOption.EXTENDED_HEADERS, null);
        } else if (options.maxHeaderMode() != HeaderMode.SIMPLE) {
            enter(State.STRUCTURED_REPLY, NbdOption.STRUCTURED_REPLY, null);
        } else {
            afterHeaders();
        }
    }

    // ---- STARTTLS ----

    private void onStartTls(OptionReply r) {
        if (!(r instanceof Ack)) {
            throw refusal(r, "the server refused TLS, which " + uri.scheme() + ":// requires");
        }
        counters.roundTrip();
        state = State.TLS_HANDSHAKE;
        SslHandler ssl = TlsSupport.handler(uri, options, ctx.alloc());
        TlsSupport.timeout(ssl, options.connectTimeout());
        ctx.pipeline().addAfter("wire", "tls", ssl);
        arm("the TLS handshake", options.connectTimeout().toMillis() + 1000, "connect timeout + 1 s");
        ssl.handshakeFuture().addListener(f -> {
            if (state == State.DEAD) return;
            if (!f.isSuccess()) {
                fail(new SourceException("TLS handshake with " + Transport.describe(uri) + " failed: " + message(f.cause()), f.cause()));
                return;
            }
            tlsDone = true;
            afterTls();
        });
    }

    // ---- EXTENDED_HEADERS → STRUCTURED_REPLY → simple ----

    private void onExtendedHeaders(OptionReply r) {
        counters.roundTrip();
        switch (r) {
            case Ack a -> {
                headerMode = HeaderMode.EXTENDED;
                afterHeaders();
            }
            case Error e -> enter(State.STRUCTURED_REPLY, NbdOption.STRUCTURED_REPLY, null);
            default -> throw unexpected(r);
        }
    }

    private void onStructuredReply(OptionReply r) {
        counters.roundTrip();
        switch (r) {
            case Ack a -> headerMode = HeaderMode.STRUCTURED;
            case Error e -> headerMode = HeaderMode.SIMPLE;
            default -> throw unexpected(r);
        }
        afterHeaders();
    }

    private void afterHeaders() {
        if (goal == Goal.DETAILS) {
            enter(State.LIST, NbdOption.LIST, null);
        } else if (headerMode != HeaderMode.SIMPLE && options.listContexts()) {
            enter(State.LIST_META_CONTEXT, NbdOption.LIST_META_CONTEXT, metaContextPayload(List.of()));
        } else {
            afterList();
        }
    }

    // ---- META_CONTEXT ----

    private void onListMetaContext(OptionReply r) {
        switch (r) {
            case MetaContext m -> available.add(m.name());
            case Ack a -> {
                counters.roundTrip();
                afterList();
            }
            case Error e -> {
                counters.roundTrip();
                available.clear();
                afterList();
            }
            default -> throw unexpected(r);
        }
    }

    private void afterList() {
        if (headerMode != HeaderMode.SIMPLE && !options.metaContexts().isEmpty()) {
            enter(State.SET_META_CONTEXT, NbdOption.SET_META_CONTEXT, metaContextPayload(options.metaContexts()));
        } else {
            enterFinal();
        }
    }

    private void onSetMetaContext(OptionReply r) {
        switch (r) {
            case MetaContext m -> {
                if (contexts.containsValue(m.id())) {
                    throw new NbdProtocolException("NBD_REP_META_CONTEXT id " + m.id() + " given to both '" + m.name() + "' and another context");
                }
                contexts.put(m.name(), m.id());
            }
            case Ack a -> {
                counters.roundTrip();
                enterFinal();
            }
            case Error e -> {
                // the selection is empty after a failed SET_META_CONTEXT; block status then fails clearly
                counters.roundTrip();
                contexts.clear();
                enterFinal();
            }
            default -> throw unexpected(r);
        }
    }

    private ByteBuf metaContextPayload(List<String> queries) {
        return metaContextPayload(uri.exportName(), queries);
    }

    private ByteBuf metaContextPayload(String export, List<String> queries) {
        byte[] exportName = export.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = ctx.alloc().buffer();
        b.writeInt(exportName.length).writeBytes(exportName).writeInt(queries.size());
        for (String q : queries) {
            byte[] s = q.getBytes(StandardCharsets.UTF_8);
            b.writeInt(s.length).writeBytes(s);
        }
        return b;
    }

    // ---- GO / EXPORT_NAME ----

    /** The data of {@code NBD_OPT_INFO} and {@code NBD_OPT_GO}: the export name and the information requests. */
    private ByteBuf infoPayload(String export) {
        byte[] exportName = export.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = ctx.alloc().buffer(4 + exportName.length + 2 + 2 * INFO_REQUESTS.length);
        b.writeInt(exportName.length).writeBytes(exportName).writeShort(INFO_REQUESTS.length);
        for (NbdInfo i : INFO_REQUESTS) b.writeShort(i.code());
        return b;
    }

    private void enterFinal() {
        if (options.useGo()) {
            enter(State.GO, NbdOption.GO, infoPayload(uri.exportName()));
        } else {
            enterExportName();
        }
    }

    private void onGo(OptionReply r) {
        switch (r) {
            case Info i -> info.add(i.item());
            case Ack a -> {
                counters.roundTrip();
                if (info.export == null) throw new NbdProtocolException("the server accepted NBD_OPT_GO without sending NBD_INFO_EXPORT");
                ready(info.export.size(), info.export.transmissionFlags(), NbdOption.GO);
            }
            case Error e -> {
                counters.roundTrip();
                if (e.type() == NbdOptionReply.ERR_UNSUP.code() && headerMode != HeaderMode.EXTENDED) {
                    info.clear();
                    enterExportName();
                } else if (e.type() == NbdOptionReply.ERR_TLS_REQD.code()) {
                    throw refusal(r, "the server requires TLS" + (uri.tls() ? "" : "; use an nbds:// URI"));
                } else if (e.type() == NbdOptionReply.ERR_UNKNOWN.code()) {
                    throw refusal(r, "export '" + uri.exportName() + "' not found");
                } else {
                    throw refusal(r, "the server refused export '" + uri.exportName() + "'");
                }
            }
            default -> throw unexpected(r);
        }
    }

    private void enterExportName() {
        state = State.EXPORT_NAME;
        byte[] exportName = uri.exportName().getBytes(StandardCharsets.UTF_8);
        decoder.expectExportName((serverFlags & HandshakeFlags.NO_ZEROES) != 0);
        sendOption(NbdOption.EXPORT_NAME, ctx.alloc().buffer(exportName.length).writeBytes(exportName));
    }

    private void onExportNameReply(ExportNameReply r) {
        if (state != State.EXPORT_NAME) throw new NbdProtocolException("unexpected export reply in state " + state);
        counters.roundTrip();
        ready(r.size(), r.transmissionFlags(), NbdOption.EXPORT_NAME);
    }

    private void ready(long size, int transmissionFlags, NbdOption finalOption) {
        if (size < 0) throw new NbdProtocolException("export size " + Long.toUnsignedString(size) + " exceeds 2^63 - 1");
        cancelTimer();
        state = State.READY;
        Negotiated n = new Negotiated(info.name != null ? info.name : uri.exportName(), info.description, size, transmissionFlags,
            headerMode, tlsDone, info.minimum(), info.preferred(), info.maximum(), contexts, available, info.initState, finalOption,
            serverFlags);
        negotiated.complete(n);
    }

    // ---- LIST ----

    private void onList(OptionReply r) {
        switch (r) {
            case Server s -> listed.add(new ExportEntry(s.name(), s.description()));
            case Ack a -> {
                counters.roundTrip();
                if (goal == Goal.DETAILS) {
                    describing = 0;
                    describeNext();
                    return;
                }
                abort();
                exports.complete(List.copyOf(listed));
            }
            case Error e -> {
                counters.roundTrip();
                throw refusal(r, "the server refused to list its exports");
            }
            default -> throw unexpected(r);
        }
    }

    /** Ends the option haggling politely ({@code NBD_OPT_ABORT}) and closes. */
    private void abort() {
        cancelTimer();
        state = State.READY;
        ByteBuf abort = ctx.alloc().buffer(16).writeLong(NbdMagic.IHAVEOPT).writeInt(NbdOption.ABORT.code()).writeInt(0);
        ctx.writeAndFlush(abort).addListener(ChannelFutureListener.CLOSE);
    }

    // ---- INFO → INFO_CONTEXTS, per listed export (DETAILS) ----

    private void describeNext() {
        if (describing == listed.size()) {
            abort();
            listing.complete(new ExportListing(serverFlags, tlsDone, headerMode, described));
            return;
        }
        info.clear();
        exportContexts.clear();
        current = null;
        enter(State.INFO, NbdOption.INFO, infoPayload(listed.get(describing).name()));
    }

    private void onInfo(OptionReply r) {
        ExportEntry entry = listed.get(describing);
        switch (r) {
            case Info i -> info.add(i.item());
            case Ack a -> {
                counters.roundTrip();
                if (info.export == null) {
                    throw new NbdProtocolException("the server accepted NBD_OPT_INFO for '" + entry.name() + "' without sending NBD_INFO_EXPORT");
                }
                if (info.export.size() < 0) {
                    throw new NbdProtocolException("export size " + Long.toUnsignedString(info.export.size()) + " of '" + entry.name()
                        + "' exceeds 2^63 - 1");
                }
                String desc = !entry.description().isEmpty() ? entry.description() : info.description == null ? "" : info.description;
                current = new ExportDetails(entry.name(), info.name, desc, info.export.size(), null, info.export.transmissionFlags(),
                    info.minimum(), info.preferred(), info.maximum(), info.initState, List.of(), false, null);
                if (headerMode != HeaderMode.SIMPLE) {
                    enter(State.INFO_CONTEXTS, NbdOption.LIST_META_CONTEXT, metaContextPayload(entry.name(), List.of()));
                } else {
                    described(current);
                }
            }
            case Error e -> {
                counters.roundTrip();
                if (e.type() == NbdOptionReply.ERR_UNSUP.code()) {
                    // a server without NBD_OPT_INFO: NbdClient describes each export with NBD_OPT_GO instead
                    for (int i = describing; i < listed.size(); i++) {
                        described.add(ExportDetails.failed(listed.get(i), NbdClient.INFO_UNSUPPORTED));
                    }
                    describing = listed.size();
                    describeNext();
                } else {
                    described(ExportDetails.failed(entry, refusal(r, refusalReason(e, entry.name())).getMessage()));
                }
            }
            default -> throw unexpected(r);
        }
    }

    private static String refusalReason(Error e, String export) {
        if (e.type() == NbdOptionReply.ERR_TLS_REQD.code()) return "export '" + export + "' requires TLS";
        if (e.type() == NbdOptionReply.ERR_UNKNOWN.code()) return "export '" + export + "' not found";
        return "the server refused to describe export '" + export + "'";
    }

    private void onInfoContexts(OptionReply r) {
        switch (r) {
            case MetaContext m -> exportContexts.add(m.name());
            case Ack a -> {
                counters.roundTrip();
                described(new ExportDetails(current.name(), current.canonicalName(), current.description(), current.size(), null,
                    current.transmissionFlags(), current.minimumBlockSize(), current.preferredBlockSize(), current.maximumPayload(),
                    current.initState(), exportContexts, true, null));
            }
            case Error e -> {
                counters.roundTrip();
                described(current);
            }
            default -> throw unexpected(r);
        }
    }

    private void described(ExportDetails d) {
        described.add(d);
        describing++;
        describeNext();
    }

    // ---- plumbing ----

    private void enter(State next, NbdOption option, ByteBuf payload) {
        state = next;
        sendOption(option, payload);
    }

    private void sendOption(NbdOption option, ByteBuf payload) {
        int length = payload == null ? 0 : payload.readableBytes();
        ByteBuf header = ctx.alloc().buffer(16).writeLong(NbdMagic.IHAVEOPT).writeInt(option.code()).writeInt(length);
        if (option != NbdOption.EXPORT_NAME) decoder.expect(option.code());
        ctx.write(header);
        if (payload != null) ctx.write(payload);
        ctx.flush();
        arm("the reply to " + NbdOption.name(option.code()), options.requestTimeout().toMillis(), "request timeout");
    }

    private void arm(String what, long millis, String knob) {
        cancelTimer();
        timer = ctx.executor().schedule(() -> fail(new SourceException("handshake with " + Transport.describe(uri)
            + " timed out after " + NetErrors.seconds(java.time.Duration.ofMillis(millis)) + " waiting for " + what + " (" + knob + ")")),
            millis, TimeUnit.MILLISECONDS);
    }

    private void cancelTimer() {
        if (timer != null) timer.cancel(false);
        timer = null;
    }

    private SourceException refusal(OptionReply r, String what) {
        if (r instanceof Error e) return new NbdOptionException(e.option(), e.type(), e.message(), what);
        return unexpected(r);
    }

    private NbdProtocolException unexpected(OptionReply r) {
        return new NbdProtocolException("unexpected " + r.getClass().getSimpleName() + " reply to " + NbdOption.name(r.option()));
    }

    void fail(Throwable cause) {
        if (state == State.DEAD || state == State.READY) return;
        State at = state;
        state = State.DEAD;
        cancelTimer();
        SourceException e = cause instanceof SourceException s ? s
            : new SourceException("handshake with " + Transport.describe(uri) + " failed in state " + at + ": " + message(cause), cause);
        negotiated.completeExceptionally(e);
        exports.completeExceptionally(e);
        listing.completeExceptionally(e);
        if (ctx != null) ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (state == State.EXPORT_NAME) {
            fail(new SourceException("the server closed the connection after NBD_OPT_EXPORT_NAME: export '" + uri.exportName()
                + "' is probably unknown or refused"));
        } else {
            fail(new SourceException("the server " + Transport.describe(uri) + " closed the connection during the handshake (state " + state + ")"));
        }
        ctx.fireChannelInactive();
    }

    /** The readable message of a failure; socket errors in plain words ({@link NetErrors#text}). */
    static String message(Throwable t) {
        while (t.getCause() != null && (t.getMessage() == null || t instanceof DecoderException)) t = t.getCause();
        if (t instanceof java.io.IOException) return NetErrors.text(t);
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
