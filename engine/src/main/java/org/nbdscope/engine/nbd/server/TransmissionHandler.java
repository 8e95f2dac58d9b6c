package org.nbdscope.engine.nbd.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.nbd.server.backend.Backend;
import org.nbdscope.engine.nbd.server.backend.BackendException;
import org.nbdscope.engine.nbd.server.backend.BlockSizes;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdError;
import org.nbdscope.engine.proto.NbdReplyType;

/**
 * Executes transmission requests, in order, on the connection's own serial executor. Every request is checked
 * (command, flags, range, alignment, payload size, read-only) before the backend sees it; every error
 * is answered with a message when structured or extended replies allow one.
 */
final class TransmissionHandler extends ChannelInboundHandlerAdapter {
    private final Session session;
    private final Export export;
    private final Backend backend;
    private final HeaderMode mode;
    private final BlockSizes sizes;
    private final long size;

    TransmissionHandler(Session session) {
        this.session = session;
        this.export = session.export();
        this.backend = export.backend();
        this.mode = session.mode();
        this.sizes = backend.blockSizes();
        this.size = backend.size();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof NbdRequest r)) {
            ctx.fireChannelRead(msg);
            return;
        }
        session.execute(() -> process(ctx, r));
    }

    /** Runs on the connection's serial executor. */
    private void process(ChannelHandlerContext ctx, NbdRequest r) {
        try {
            session.awaitWritable();
            if (ctx.channel().isActive()) handle(ctx, r);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            ServerContext.LOG.log(System.Logger.Level.WARNING, "connection " + session.record.id() + ": request failed", e);
            ctx.channel().close();
        } finally {
            r.release();
            session.done(r);
        }
    }

    private void handle(ChannelHandlerContext ctx, NbdRequest r) {
        session.record.request(r.type());
        NbdCommand cmd = NbdCommand.of(r.type());
        if (cmd == null) {
            error(ctx, r, NbdError.EINVAL, "unknown command type " + r.type());
            return;
        }
        if (cmd == NbdCommand.DISC) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        String badFlags = checkFlags(cmd, r.flags());
        if (badFlags != null) {
            error(ctx, r, NbdError.EINVAL, badFlags);
            return;
        }
        if (r.payloadDropped()) {
            error(ctx, r, NbdError.EOVERFLOW, "write payload of " + r.length() + " bytes exceeds the maximum payload "
                + sizes.maximumPayload() + "; the data was discarded");
            return;
        }
        try {
            switch (cmd) {
                case READ -> read(ctx, r);
                case WRITE -> write(ctx, r);
                case FLUSH -> {
                    run(backend::flush);
                    ok(ctx, r);
                }
                case TRIM -> trim(ctx, r);
                case CACHE -> {
                    if (checkRange(ctx, r, NbdError.EINVAL)) ok(ctx, r);
                }
                case WRITE_ZEROES -> writeZeroes(ctx, r);
                case BLOCK_STATUS -> blockStatus(ctx, r);
                case DISC -> throw new IllegalStateException("handled above");
            }
        } catch (BackendException e) {
            error(ctx, r, e.error(), e.getMessage());
        } catch (IOException e) {
            error(ctx, r, NbdError.EIO, "I/O error on export '" + export.name() + "': " + e.getMessage());
        } catch (RuntimeException e) {
            ServerContext.LOG.log(System.Logger.Level.WARNING, "internal error serving " + cmd + " on export " + export.name(), e);
            error(ctx, r, NbdError.EIO, "internal server error: " + e);
        }
    }

    /** A message when {@code flags} are not valid for {@code cmd} under this negotiation, else null. */
    private String checkFlags(NbdCommand cmd, int flags) {
        int allowed = NbdCommand.FLAG_FUA;
        switch (cmd) {
            case READ -> { if (mode != HeaderMode.SIMPLE) allowed |= NbdCommand.FLAG_DF; }
            case WRITE -> { if (mode == HeaderMode.EXTENDED) allowed |= NbdCommand.FLAG_PAYLOAD_LEN; }
            case WRITE_ZEROES -> {
                allowed |= NbdCommand.FLAG_NO_HOLE;
                if (session.server.options.fastZero()) allowed |= NbdCommand.FLAG_FAST_ZERO;
                else if ((flags & NbdCommand.FLAG_FAST_ZERO) != 0) {
                    return "NBD_CMD_FLAG_FAST_ZERO was not advertised: this server runs without fast zero (--no-fast-zero)";
                }
            }
            case BLOCK_STATUS -> allowed |= NbdCommand.FLAG_REQ_ONE;
            default -> { }
        }
        int bad = flags & ~allowed;
        if (bad != 0) {
            String payload = (bad & NbdCommand.FLAG_PAYLOAD_LEN) != 0 ? " (its payload was read and discarded)" : "";
            return String.format("command flags 0x%x are not valid for NBD_CMD_%s here%s", bad, cmd.name(), payload);
        }
        return null;
    }

    /** Replies with an error and returns false when the request's range is outside or misaligned. */
    private boolean checkRange(ChannelHandlerContext ctx, NbdRequest r, NbdError pastEnd) {
        long off = r.offset();
        long len = r.length();
        if (off < 0 || len < 0 || off > size || len > size - off) {
            error(ctx, r, pastEnd, "request at offset " + Long.toUnsignedString(off) + " for " + Long.toUnsignedString(len)
                + " bytes runs past the end of export '" + export.name() + "' (size " + size + ")");
            return false;
        }
        if (!sizes.aligned(off) || !sizes.aligned(len)) {
            error(ctx, r, NbdError.EINVAL, "offset " + off + " and length " + len + " must be multiples of the minimum block size "
                + sizes.minimum());
            return false;
        }
        return true;
    }

    private boolean writable(ChannelHandlerContext ctx, NbdRequest r) {
        if (!export.readOnly()) return true;
        error(ctx, r, NbdError.EPERM, "export '" + export.name() + "' is read-only");
        return false;
    }

    private void read(ChannelHandlerContext ctx, NbdRequest r) throws IOException {
        if (!checkRange(ctx, r, NbdError.EINVAL)) return;
        if (r.length() > sizes.maximumPayload()) {
            error(ctx, r, NbdError.EOVERFLOW, "read of " + r.length() + " bytes exceeds the maximum payload " + sizes.maximumPayload());
            return;
        }
        long off = r.offset();
        int len = (int) r.length();
        if (mode == HeaderMode.SIMPLE) {
            ByteBuf buf = ctx.alloc().directBuffer(len);
            try {
                run(() -> backend.read(off, buf.nioBuffer(0, len)));
                buf.writerIndex(len);
            } catch (IOException | RuntimeException e) {
                buf.release();
                throw e;
            }
            ctx.writeAndFlush(new Reply.Simple(r.cookie(), 0, buf));
            return;
        }
        if (len == 0) {
            ctx.writeAndFlush(new Reply.Chunk(r.cookie(), off, NbdReplyType.FLAG_DONE, NbdReplyType.NONE.code(), null));
            return;
        }
        List<long[]> segments = new ArrayList<>();
        if ((r.flags() & NbdCommand.FLAG_DF) != 0) {
            segments.add(new long[] {off, len, 0});
        } else {
            long end = off + len;
            long[] pos = {off};
            run(() -> backend.extents(off, (length, status) -> {
                long e = Math.min(end, pos[0] + length);
                long zero = ExtentKind.readsAsZero(status) ? 1 : 0;
                long[] last = segments.isEmpty() ? null : segments.getLast();
                if (last != null && last[2] == zero) last[1] += e - pos[0];
                else segments.add(new long[] {pos[0], e - pos[0], zero});
                pos[0] = e;
                return e < end;
            }));
            if (pos[0] < end) throw new IOException("the backend reported extents only up to " + pos[0] + " of " + end);
        }
        List<Reply.Chunk> chunks = new ArrayList<>(segments.size());
        try {
            for (long[] s : segments) {
                long at = s[0];
                int n = (int) s[1];
                if (s[2] == 1) {
                    ByteBuf p = ctx.alloc().buffer(12).writeLong(at).writeInt(n);
                    chunks.add(new Reply.Chunk(r.cookie(), off, 0, NbdReplyType.OFFSET_HOLE.code(), p));
                } else {
                    ByteBuf p = ctx.alloc().directBuffer(8 + n);
                    chunks.add(new Reply.Chunk(r.cookie(), off, 0, NbdReplyType.OFFSET_DATA.code(), p));
                    p.writeLong(at);
                    run(() -> backend.read(at, p.nioBuffer(8, n)));
                    p.writerIndex(8 + n);
                }
            }
        } catch (IOException | RuntimeException e) {
            for (Reply.Chunk c : chunks) c.payload().release();
            throw e;
        }
        for (int i = 0; i < chunks.size(); i++) {
            Reply.Chunk c = chunks.get(i);
            if (i == chunks.size() - 1) {
                ctx.writeAndFlush(new Reply.Chunk(c.cookie(), c.requestOffset(), NbdReplyType.FLAG_DONE, c.type(), c.payload()));
            } else {
                ctx.write(c);
            }
        }
    }

    private void write(ChannelHandlerContext ctx, NbdRequest r) throws IOException {
        if (!writable(ctx, r) || !checkRange(ctx, r, NbdError.ENOSPC)) return;
        if (r.payload() != null) run(() -> backend.write(r.offset(), r.payload().nioBuffer()));
        fua(r);
        ok(ctx, r);
    }

    private void trim(ChannelHandlerContext ctx, NbdRequest r) throws IOException {
        if (!writable(ctx, r) || !checkRange(ctx, r, NbdError.EINVAL)) return;
        run(() -> backend.trim(r.offset(), r.length()));
        fua(r);
        ok(ctx, r);
    }

    private void writeZeroes(ChannelHandlerContext ctx, NbdRequest r) throws IOException {
        if (!writable(ctx, r) || !checkRange(ctx, r, NbdError.ENOSPC)) return;
        boolean fast = (r.flags() & NbdCommand.FLAG_FAST_ZERO) != 0;
        boolean mayPunch = (r.flags() & NbdCommand.FLAG_NO_HOLE) == 0;
        boolean[] done = new boolean[1];
        run(() -> done[0] = backend.zero(r.offset(), r.length(), mayPunch, fast));
        if (!done[0]) {
            error(ctx, r, NbdError.ENOTSUP, "fast zero refused: zeroing " + r.length() + " bytes of " + backend.description()
                + (mayPunch ? "" : " without punching holes") + " would be no faster than writing zeroes");
            return;
        }
        fua(r);
        ok(ctx, r);
    }

    private void blockStatus(ChannelHandlerContext ctx, NbdRequest r) throws IOException {
        if (session.metaContextId() < 0) {
            error(ctx, r, NbdError.EINVAL, "no meta context selected: send NBD_OPT_SET_META_CONTEXT with base:allocation before NBD_OPT_GO");
            return;
        }
        if (r.length() == 0) {
            error(ctx, r, NbdError.EINVAL, "block status for 0 bytes");
            return;
        }
        if (!checkRange(ctx, r, NbdError.EINVAL)) return;
        long off = r.offset();
        long end = statusEnd(off, off + r.length());
        int max = (r.flags() & NbdCommand.FLAG_REQ_ONE) != 0 ? 1 : session.server.options.maxDescriptors();
        Descriptors d = new Descriptors(max);
        long[] pos = {off};
        run(() -> backend.extents(off, (length, status) -> {
            long e = Math.min(end, pos[0] + length);
            if (!d.add(e - pos[0], status)) return false;
            pos[0] = e;
            return e < end;
        }));
        if (d.count == 0) throw new IOException("the backend reported no extent at offset " + off);
        boolean ext = mode == HeaderMode.EXTENDED;
        ByteBuf p = ctx.alloc().buffer(ext ? 8 + 16 * d.count : 4 + 8 * d.count);
        p.writeInt(session.metaContextId());
        if (ext) p.writeInt(d.count);
        for (int i = 0; i < d.count; i++) {
            if (ext) p.writeLong(d.lengths[i]).writeLong(d.statuses[i] & 0xFFFFFFFFL);
            else p.writeInt((int) d.lengths[i]).writeInt(d.statuses[i]);
        }
        int type = ext ? NbdReplyType.BLOCK_STATUS_EXT.code() : NbdReplyType.BLOCK_STATUS.code();
        ctx.writeAndFlush(new Reply.Chunk(r.cookie(), off, NbdReplyType.FLAG_DONE, type, p));
    }

    /**
     * Where a block-status reply stops: at the end of the request, moved down to a preferred-block boundary
     * when the request ends unaligned inside the export (a 32-bit client asking for 4 GiB - 1 bytes gets
     * 4 GiB - 4 KiB, so its next request starts aligned). Every descriptor then fits in 32 bits.
     */
    private long statusEnd(long off, long end) {
        long pref = sizes.preferred();
        long aligned = end & -pref;
        return end == size || aligned == end || aligned <= off ? end : aligned;
    }

    /** Block-status descriptors, neighbours with equal status merged, at most {@code max}. */
    private static final class Descriptors {
        final int max;
        long[] lengths = new long[16];
        int[] statuses = new int[16];
        int count;

        Descriptors(int max) { this.max = max; }

        boolean add(long length, int status) {
            if (count > 0 && statuses[count - 1] == status) {
                lengths[count - 1] += length;
                return true;
            }
            if (count == max) return false;
            if (count == lengths.length) {
                lengths = Arrays.copyOf(lengths, count * 2);
                statuses = Arrays.copyOf(statuses, count * 2);
            }
            lengths[count] = length;
            statuses[count] = status;
            count++;
            return true;
        }
    }

    private void fua(NbdRequest r) throws IOException {
        if ((r.flags() & NbdCommand.FLAG_FUA) != 0) run(backend::flush);
    }

    private void ok(ChannelHandlerContext ctx, NbdRequest r) {
        if (mode == HeaderMode.EXTENDED) {
            ctx.writeAndFlush(new Reply.Chunk(r.cookie(), r.offset(), NbdReplyType.FLAG_DONE, NbdReplyType.NONE.code(), null));
        } else {
            ctx.writeAndFlush(new Reply.Simple(r.cookie(), 0, null));
        }
    }

    private void error(ChannelHandlerContext ctx, NbdRequest r, NbdError e, String message) {
        session.record.error(message);
        ServerContext.LOG.log(System.Logger.Level.DEBUG, () -> "connection " + session.record.id() + ": " + NbdError.describe(e.code()) + ": " + message);
        if (mode == HeaderMode.SIMPLE) {
            ctx.writeAndFlush(new Reply.Simple(r.cookie(), e.code(), null));
        } else {
            ByteBuf p = Replies.errorPayload(ctx.alloc(), e.code(), message);
            ctx.writeAndFlush(new Reply.Chunk(r.cookie(), r.offset(), NbdReplyType.FLAG_DONE, NbdReplyType.ERROR.code(), p));
        }
    }

    @FunctionalInterface
    private interface Io {
        void run() throws IOException;
    }

    /** Runs a backend call with the connection marked busy (so the idle timeout waits for it). */
    private void run(Io io) throws IOException {
        session.busy(true);
        try {
            io.run();
        } finally {
            session.busy(false);
        }
    }
}
