package org.nbdscope.engine.nbd.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import org.nbdscope.engine.nbd.server.backend.BlockSizes;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.HandshakeFlags;
import org.nbdscope.engine.proto.NbdInfo;
import org.nbdscope.engine.proto.NbdMagic;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.NbdOptionReply;

/**
 * The server side of the fixed newstyle handshake: greeting with {@code NO_ZEROES}, client flags, then
 * option haggling until {@code NBD_OPT_GO} or {@code NBD_OPT_EXPORT_NAME} enters transmission (the
 * handler then replaces itself with the transmission handlers) or the client aborts.
 *
 * <p>Every option length is checked before anything is read; an option over 64 KiB is answered with
 * {@code NBD_REP_ERR_TOO_BIG} and the connection closed. Every error reply carries a message. With TLS
 * configured the server runs in FORCEDTLS mode: every option but {@code STARTTLS} and {@code ABORT} gets
 * {@code NBD_REP_ERR_TLS_REQD} until TLS is up.
 */
final class HandshakeHandler extends ByteToMessageDecoder {
    static final int MAX_OPTION_LENGTH = 65536;
    static final int MAX_OPTIONS = 1024;
    private static final int KNOWN_CLIENT_FLAGS = HandshakeFlags.C_FIXED_NEWSTYLE | HandshakeFlags.C_NO_ZEROES;

    private final ServerContext server;
    private final Session session;
    private final String rejectReason;
    private boolean gotFlags;
    private boolean noZeroes;
    private boolean structured;
    private boolean extended;
    private boolean tlsActive;
    private Export metaExport;
    private boolean metaSelected;
    private int optionCount;
    private boolean done;
    private ScheduledFuture<?> deadline;

    /**
     * @param rejectReason when not null, the connection is over the limit: the first option is answered
     *     with {@code NBD_REP_ERR_POLICY} and this message, then the connection is closed
     */
    HandshakeHandler(ServerContext server, Session session, String rejectReason) {
        this.server = server;
        this.session = session;
        this.rejectReason = rejectReason;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf hello = ctx.alloc().buffer(18);
        hello.writeLong(NbdMagic.NBDMAGIC).writeLong(NbdMagic.IHAVEOPT)
            .writeShort(HandshakeFlags.FIXED_NEWSTYLE | HandshakeFlags.NO_ZEROES);
        ctx.writeAndFlush(hello);
        long ms = server.options.handshakeTimeout().toMillis();
        deadline = ctx.executor().schedule(() -> fail(ctx, "handshake not finished within " + ms + " ms"), ms, TimeUnit.MILLISECONDS);
        super.channelActive(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (deadline != null) deadline.cancel(false);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (done) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!gotFlags) {
            if (in.readableBytes() < 4) return;
            int flags = in.readInt();
            if ((flags & ~KNOWN_CLIENT_FLAGS) != 0) {
                fail(ctx, String.format("client flags 0x%08x include unknown bits", flags));
                return;
            }
            noZeroes = (flags & HandshakeFlags.C_NO_ZEROES) != 0;
            gotFlags = true;
        }
        while (!done && in.readableBytes() >= 16) {
            long magic = in.getLong(in.readerIndex());
            if (magic != NbdMagic.IHAVEOPT) {
                fail(ctx, String.format("bad option magic 0x%016x, expected IHAVEOPT", magic));
                return;
            }
            int opt = in.getInt(in.readerIndex() + 8);
            long len = in.getUnsignedInt(in.readerIndex() + 12);
            if (len > MAX_OPTION_LENGTH) {
                in.skipBytes(16);
                error(ctx, opt, NbdOptionReply.ERR_TOO_BIG, NbdOption.name(opt) + " carries " + len
                    + " bytes of data, over this server's limit of " + MAX_OPTION_LENGTH);
                closeAfterFlush(ctx, "oversize option data: " + len + " bytes for " + NbdOption.name(opt));
                return;
            }
            if (in.readableBytes() < 16 + len) return;
            in.skipBytes(16);
            ByteBuf data = in.readSlice((int) len);
            session.record.option(NbdOption.name(opt));
            if (++optionCount > MAX_OPTIONS) {
                error(ctx, opt, NbdOptionReply.ERR_POLICY, "more than " + MAX_OPTIONS + " options in one handshake");
                closeAfterFlush(ctx, "too many options");
                return;
            }
            option(ctx, opt, data);
            ctx.flush();
        }
    }

    private void option(ChannelHandlerContext ctx, int opt, ByteBuf data) {
        NbdOption o = NbdOption.of(opt);
        if (rejectReason != null) {
            if (o == NbdOption.EXPORT_NAME) {
                fail(ctx, rejectReason);
            } else {
                error(ctx, opt, NbdOptionReply.ERR_POLICY, rejectReason);
                closeAfterFlush(ctx, rejectReason);
            }
            return;
        }
        if (server.options.tls() && !tlsActive && o != NbdOption.STARTTLS && o != NbdOption.ABORT) {
            if (o == NbdOption.EXPORT_NAME) {
                fail(ctx, "NBD_OPT_EXPORT_NAME without TLS; this server requires TLS (NBD_OPT_STARTTLS)");
            } else {
                error(ctx, opt, NbdOptionReply.ERR_TLS_REQD, "this server requires TLS: send NBD_OPT_STARTTLS first");
            }
            return;
        }
        if (o == null || o == NbdOption.PEEK_EXPORT) {
            error(ctx, opt, NbdOptionReply.ERR_UNSUP, NbdOption.name(opt) + " is not supported by this server");
            return;
        }
        switch (o) {
            case ABORT -> {
                reply(ctx, opt, NbdOptionReply.ACK, null);
                closeAfterFlush(ctx, null);
            }
            case LIST -> list(ctx, opt, data);
            case STARTTLS -> startTls(ctx, opt, data);
            case INFO, GO -> infoOrGo(ctx, o, data);
            case STRUCTURED_REPLY -> {
                if (noData(ctx, opt, data)) return;
                if (!server.options.structuredReplies()) {
                    error(ctx, opt, NbdOptionReply.ERR_UNSUP, "structured replies are turned off on this server (--no-structured-replies)");
                } else if (extended) {
                    error(ctx, opt, NbdOptionReply.ERR_EXT_HEADER_REQD, "extended headers are already negotiated and take precedence over structured replies");
                } else {
                    structured = true;
                    reply(ctx, opt, NbdOptionReply.ACK, null);
                }
            }
            case EXTENDED_HEADERS -> {
                if (noData(ctx, opt, data)) return;
                if (!server.options.extendedHeaders()) {
                    error(ctx, opt, NbdOptionReply.ERR_UNSUP, "extended headers are turned off on this server (--no-extended-headers)");
                } else {
                    extended = true;
                    reply(ctx, opt, NbdOptionReply.ACK, null);
                }
            }
            case LIST_META_CONTEXT, SET_META_CONTEXT -> metaContext(ctx, o, data);
            case EXPORT_NAME -> exportName(ctx, data);
            default -> error(ctx, opt, NbdOptionReply.ERR_UNSUP, NbdOption.name(opt) + " is not supported by this server");
        }
    }

    private boolean noData(ChannelHandlerContext ctx, int opt, ByteBuf data) {
        if (data.readableBytes() == 0) return false;
        error(ctx, opt, NbdOptionReply.ERR_INVALID, NbdOption.name(opt) + " takes no data, got " + data.readableBytes() + " bytes");
        return true;
    }

    private void list(ChannelHandlerContext ctx, int opt, ByteBuf data) {
        if (noData(ctx, opt, data)) return;
        for (Export e : server.exports) {
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            byte[] desc = Replies.utf8(e.description());
            ByteBuf p = ctx.alloc().buffer(4 + name.length + desc.length);
            p.writeInt(name.length).writeBytes(name).writeBytes(desc);
            reply(ctx, opt, NbdOptionReply.SERVER, p);
        }
        reply(ctx, opt, NbdOptionReply.ACK, null);
    }

    private void startTls(ChannelHandlerContext ctx, int opt, ByteBuf data) {
        if (server.ssl == null) {
            error(ctx, opt, NbdOptionReply.ERR_UNSUP, "TLS is not configured on this server (serve --tls-cert FILE --tls-key FILE)");
            return;
        }
        if (tlsActive) {
            error(ctx, opt, NbdOptionReply.ERR_INVALID, "TLS is already active on this connection");
            return;
        }
        if (noData(ctx, opt, data)) return;
        SslHandler tls = new SslHandler(server.ssl.newEngine(ctx.alloc()), true);
        ctx.pipeline().addFirst("tls", tls);
        reply(ctx, opt, NbdOptionReply.ACK, null);
        tls.handshakeFuture().addListener(f -> {
            if (!f.isSuccess()) session.record.closeReason("TLS handshake failed: " + f.cause().getMessage());
        });
        // STARTTLS forgets everything negotiated before it
        tlsActive = true;
        structured = false;
        extended = false;
        metaExport = null;
        metaSelected = false;
        session.record.tls(true);
    }

    private void infoOrGo(ChannelHandlerContext ctx, NbdOption o, ByteBuf data) {
        int opt = o.code();
        String what = NbdOption.name(opt);
        if (data.readableBytes() < 6) {
            error(ctx, opt, NbdOptionReply.ERR_INVALID, what + " data of " + data.readableBytes() + " bytes is too short (at least 6)");
            return;
        }
        long nameLen = data.readUnsignedInt();
        if (nameLen > data.readableBytes() - 2) {
            error(ctx, opt, NbdOptionReply.ERR_INVALID, what + ": export name length " + nameLen + " runs past the option data");
            return;
        }
        if (nameLen > Replies.MAX_STRING) {
            error(ctx, opt, NbdOptionReply.ERR_INVALID, what + ": export name of " + nameLen + " bytes is longer than " + Replies.MAX_STRING);
            return;
        }
        String name = data.readCharSequence((int) nameLen, StandardCharsets.UTF_8).toString();
        int n = data.readUnsignedShort();
        if (data.readableBytes() != 2 * n) {
            error(ctx, opt, NbdOptionReply.ERR_INVALID, what + ": " + n + " information requests need " + 2 * n
                + " bytes, but " + data.readableBytes() + " remain");
            return;
        }
        List<Integer> infos = new ArrayList<>(n);
        for (int i = 0; i < n; i++) infos.add(data.readUnsignedShort());
        Export e = server.find(name);
        if (e == null) {
            error(ctx, opt, NbdOptionReply.ERR_UNKNOWN, "no export named '" + name + "'; this server has " + server.exportNames());
            return;
        }
        int flags = server.transmissionFlags(e, structured || extended);
        ByteBuf p = ctx.alloc().buffer(12);
        p.writeShort(NbdInfo.EXPORT.code()).writeLong(e.backend().size()).writeShort(flags);
        reply(ctx, opt, NbdOptionReply.INFO, p);
        if (infos.contains(NbdInfo.NAME.code())) {
            byte[] b = e.name().getBytes(StandardCharsets.UTF_8);
            reply(ctx, opt, NbdOptionReply.INFO, ctx.alloc().buffer(2 + b.length).writeShort(NbdInfo.NAME.code()).writeBytes(b));
        }
        if (infos.contains(NbdInfo.DESCRIPTION.code()) && !e.description().isEmpty()) {
            byte[] b = Replies.utf8(e.description());
            reply(ctx, opt, NbdOptionReply.INFO, ctx.alloc().buffer(2 + b.length).writeShort(NbdInfo.DESCRIPTION.code()).writeBytes(b));
        }
        BlockSizes bs = e.backend().blockSizes();
        reply(ctx, opt, NbdOptionReply.INFO, ctx.alloc().buffer(14).writeShort(NbdInfo.BLOCK_SIZE.code())
            .writeInt(bs.minimum()).writeInt(bs.preferred()).writeInt(bs.maximumPayload()));
        boolean wantInit = infos.contains(NbdInfo.INIT_STATE.code());
        int init = -1;
        if (wantInit && server.options.initState()) {
            try {
                init = e.backend().initState();
                reply(ctx, opt, NbdOptionReply.INFO, ctx.alloc().buffer(4).writeShort(NbdInfo.INIT_STATE.code()).writeShort(init));
            } catch (IOException ex) {
                // not knowing is legal: the zero flag is simply not sent
                ServerContext.LOG.log(System.Logger.Level.DEBUG, "init state of " + e.name() + " unknown: " + ex.getMessage());
                init = -1;
            }
        }
        reply(ctx, opt, NbdOptionReply.ACK, null);
        if (o == NbdOption.GO) {
            session.record.initState(wantInit, init);
            enterTransmission(ctx, e, flags, what);
        }
    }

    private void exportName(ChannelHandlerContext ctx, ByteBuf data) {
        if (extended) {
            fail(ctx, "NBD_OPT_EXPORT_NAME after NBD_OPT_EXTENDED_HEADERS, which the protocol forbids");
            return;
        }
        if (data.readableBytes() > Replies.MAX_STRING) {
            fail(ctx, "NBD_OPT_EXPORT_NAME with a name of " + data.readableBytes() + " bytes, longer than " + Replies.MAX_STRING);
            return;
        }
        String name = data.readCharSequence(data.readableBytes(), StandardCharsets.UTF_8).toString();
        Export e = server.find(name);
        if (e == null) {
            fail(ctx, "NBD_OPT_EXPORT_NAME for unknown export '" + name + "'");
            return;
        }
        int flags = server.transmissionFlags(e, structured);
        ByteBuf p = ctx.alloc().buffer(noZeroes ? 10 : 134);
        p.writeLong(e.backend().size()).writeShort(flags);
        if (!noZeroes) p.writeZero(124);
        ctx.write(p);
        session.record.initState(false, -1);
        enterTransmission(ctx, e, flags, "NBD_OPT_EXPORT_NAME");
    }

    private void metaContext(ChannelHandlerContext ctx, NbdOption o, ByteBuf data) {
        int opt = o.code();
        String what = NbdOption.name(opt);
        boolean set = o == NbdOption.SET_META_CONTEXT;
        if (set) {
            metaExport = null;
            metaSelected = false;
        }
        if (!structured && !extended) {
            error(ctx, opt, NbdOptionReply.ERR_INVALID, "negotiate NBD_OPT_STRUCTURED_REPLY or NBD_OPT_EXTENDED_HEADERS before " + what);
            return;
        }
        if (data.readableBytes() < 8) {
            error(ctx, opt, NbdOptionReply.ERR_INVALID, what + " data of " + data.readableBytes() + " bytes is too short (at least 8)");
            return;
        }
        long nameLen = data.readUnsignedInt();
        if (nameLen > data.readableBytes() - 4 || nameLen > Replies.MAX_STRING) {
            error(ctx, opt, NbdOptionReply.ERR_INVALID, what + ": export name length " + nameLen + " is invalid for "
                + data.readableBytes() + " remaining bytes");
            return;
        }
        String name = data.readCharSequence((int) nameLen, StandardCharsets.UTF_8).toString();
        long count = data.readUnsignedInt();
        if (count > data.readableBytes() / 4) {
            error(ctx, opt, NbdOptionReply.ERR_INVALID, what + ": " + count + " queries cannot fit in " + data.readableBytes() + " bytes");
            return;
        }
        List<String> queries = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            long qlen = data.readableBytes() >= 4 ? data.readUnsignedInt() : -1;
            if (qlen < 0 || qlen > data.readableBytes() || qlen > Replies.MAX_STRING) {
                error(ctx, opt, NbdOptionReply.ERR_INVALID, what + ": query " + (i + 1) + " has an invalid length " + qlen);
                return;
            }
            queries.add(data.readCharSequence((int) qlen, StandardCharsets.UTF_8).toString());
        }
        if (data.isReadable()) {
            error(ctx, opt, NbdOptionReply.ERR_INVALID, what + ": " + data.readableBytes() + " bytes left after the queries");
            return;
        }
        Export e = server.find(name);
        if (e == null) {
            error(ctx, opt, NbdOptionReply.ERR_UNKNOWN, "no export named '" + name + "'; this server has " + server.exportNames());
            return;
        }
        String base = BlockStatusFlags.BASE_ALLOCATION;
        boolean match = set ? queries.contains(base) : queries.isEmpty() || queries.contains(base) || queries.contains("base:");
        if (match) {
            byte[] b = base.getBytes(StandardCharsets.UTF_8);
            ByteBuf p = ctx.alloc().buffer(4 + b.length).writeInt(set ? ServerContext.BASE_ALLOCATION_ID : 0).writeBytes(b);
            reply(ctx, opt, NbdOptionReply.META_CONTEXT, p);
        }
        reply(ctx, opt, NbdOptionReply.ACK, null);
        if (set) {
            metaExport = e;
            metaSelected = match;
        }
    }

    private void enterTransmission(ChannelHandlerContext ctx, Export e, int flags, String via) {
        done = true;
        if (deadline != null) deadline.cancel(false);
        HeaderMode mode = extended ? HeaderMode.EXTENDED : structured ? HeaderMode.STRUCTURED : HeaderMode.SIMPLE;
        boolean contexts = metaSelected && metaExport == e;
        session.start(e, mode, contexts ? ServerContext.BASE_ALLOCATION_ID : -1);
        session.record.transmission(e.name(), mode, contexts ? List.of(BlockStatusFlags.BASE_ALLOCATION) : List.of(), flags, via);
        ctx.flush();
        var p = ctx.pipeline();
        p.addAfter(ctx.name(), "requests", new RequestDecoder(extended, e.backend().blockSizes().maximumPayload(), session::admit));
        p.addAfter("requests", "replies", new ReplyEncoder(mode));
        p.addAfter("replies", "transmission", new TransmissionHandler(session));
        p.remove(this);
    }

    private void reply(ChannelHandlerContext ctx, int opt, NbdOptionReply type, ByteBuf data) {
        int len = data == null ? 0 : data.readableBytes();
        ByteBuf h = ctx.alloc().buffer(20);
        h.writeLong(NbdMagic.OPTION_REPLY).writeInt(opt).writeInt(type.code()).writeInt(len);
        ctx.write(h);
        if (data != null) ctx.write(data);
    }

    private void error(ChannelHandlerContext ctx, int opt, NbdOptionReply type, String message) {
        session.record.error(message);
        ServerContext.LOG.log(System.Logger.Level.DEBUG, () -> "connection " + session.record.id() + ": " + NbdOptionReply.name(type.code()) + ": " + message);
        byte[] m = Replies.utf8(message);
        reply(ctx, opt, type, ctx.alloc().buffer(m.length).writeBytes(m));
    }

    private void closeAfterFlush(ChannelHandlerContext ctx, String reason) {
        done = true;
        if (reason != null) session.record.closeReason(reason);
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        done = true;
        session.record.closeReason(reason);
        ServerContext.LOG.log(System.Logger.Level.DEBUG, () -> "connection " + session.record.id() + " closed: " + reason);
        ctx.flush();
        ctx.close();
    }
}
