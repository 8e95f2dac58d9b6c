package org.nbdscope.engine.nbd.client;

import java.util.List;
import java.util.function.LongFunction;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdError;
import org.nbdscope.engine.proto.NbdMagic;
import org.nbdscope.engine.proto.NbdReplyType;

/**
 * Frames the transmission phase: simple replies, structured chunks (20-byte headers) and extended
 * chunks (32-byte headers), in the style of Netty's codec-redis: an explicit {@link State}, one method
 * per state, and every length checked before the payload is awaited or anything is allocated.
 *
 * <p>Framing errors end the connection with an {@link NbdProtocolException} naming the field and value:
 * a bad magic (or one the negotiated {@link HeaderMode} forbids), a cookie with no request in flight, a
 * payload longer than its type allows, a descriptor count that does not match the length, a
 * non-error chunk type this client does not know. A chunk that is well framed but wrong for its
 * request (the extended header's offset differs from the request's) is passed on as
 * {@link Reply.Invalid} and fails only that request; the connection's handler checks the rest.
 */
final class ReplyDecoder extends ByteToMessageDecoder {
    /** Descriptors accepted in one status chunk: twice the 2^20 the spec asks servers to stay under. */
    static final int MAX_DESCRIPTORS = 1 << 21;
    /** Error chunks: error, message length, a message of at most 4096 bytes, an offset, some headroom. */
    static final int MAX_ERROR_PAYLOAD = 6 + OptionReplyDecoder.MAX_STRING + 8 + 64;

    enum State { MAGIC, SIMPLE_HEADER, SIMPLE_DATA, STRUCTURED_HEADER, EXTENDED_HEADER, CHUNK_PAYLOAD }

    private final HeaderMode mode;
    private final long maxReadPayload;
    private final LongFunction<NbdRequest> inFlight;

    private State state = State.MAGIC;
    // the header being decoded
    private long cookie;
    private int error;
    private int flags;
    private int type;
    private long headerOffset;
    private int payloadLength;
    private NbdRequest request;

    /**
     * @param mode           the negotiated header mode
     * @param maxReadPayload the largest READ this client sends (caps OFFSET_DATA and simple-reply data)
     * @param inFlight       the request in flight for a cookie, or null when none
     */
    ReplyDecoder(HeaderMode mode, long maxReadPayload, LongFunction<NbdRequest> inFlight) {
        this.mode = mode;
        this.maxReadPayload = maxReadPayload;
        this.inFlight = inFlight;
    }

    State state() { return state; }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        boolean progress = true;
        while (progress && out.isEmpty()) {
            progress = switch (state) {
                case MAGIC -> decodeMagic(in);
                case SIMPLE_HEADER -> decodeSimpleHeader(in, out);
                case SIMPLE_DATA -> decodeSimpleData(in, out);
                case STRUCTURED_HEADER -> decodeStructuredHeader(in);
                case EXTENDED_HEADER -> decodeExtendedHeader(in);
                case CHUNK_PAYLOAD -> decodeChunkPayload(in, out);
            };
        }
    }

    private boolean decodeMagic(ByteBuf in) {
        if (in.readableBytes() < 4) return false;
        int magic = in.getInt(in.readerIndex());
        State next = switch (magic) {
            case NbdMagic.SIMPLE_REPLY -> mode == HeaderMode.EXTENDED ? null : State.SIMPLE_HEADER;
            case NbdMagic.STRUCTURED_REPLY -> mode == HeaderMode.STRUCTURED ? State.STRUCTURED_HEADER : null;
            case NbdMagic.EXTENDED_REPLY -> mode == HeaderMode.EXTENDED ? State.EXTENDED_HEADER : null;
            default -> null;
        };
        if (next == null) {
            throw new NbdProtocolException(String.format("bad reply magic 0x%08x for %s headers (expected %s)",
                magic, mode.name().toLowerCase(java.util.Locale.ROOT), expectedMagic()));
        }
        state = next;
        return true;
    }

    private String expectedMagic() {
        return switch (mode) {
            case SIMPLE -> String.format("0x%08x", NbdMagic.SIMPLE_REPLY);
            case STRUCTURED -> String.format("0x%08x or 0x%08x", NbdMagic.SIMPLE_REPLY, NbdMagic.STRUCTURED_REPLY);
            case EXTENDED -> String.format("0x%08x", NbdMagic.EXTENDED_REPLY);
        };
    }

    private NbdRequest requestFor(long c) {
        NbdRequest r = inFlight.apply(c);
        if (r == null) throw new NbdProtocolException(String.format("reply for unknown cookie 0x%x (no request in flight)", c));
        return r;
    }

    private boolean decodeSimpleHeader(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < NbdMagic.SIMPLE_REPLY_SIZE) return false;
        in.skipBytes(4);
        error = in.readInt();
        cookie = in.readLong();
        request = requestFor(cookie);
        if (request.command() == NbdCommand.READ && error == 0) {
            if (request.length() > maxReadPayload) {
                throw new NbdProtocolException("simple reply to a READ of " + request.length() + " bytes exceeds " + maxReadPayload);
            }
            payloadLength = (int) request.length();
            state = State.SIMPLE_DATA;
            return true;
        }
        state = State.MAGIC;
        if (request.command() == NbdCommand.READ && mode == HeaderMode.STRUCTURED) {
            // an error too must come as a structured reply to a READ (proto.md: "even for the case of an early
            // NBD_EINVAL"); well framed, so it fails only its READ, naming the error the server meant
            out.add(new Reply.Invalid(cookie, true, "simple reply with " + NbdError.describe(error) + " to NBD_CMD_READ after"
                + " structured replies were negotiated (the protocol requires a structured reply)"));
            return true;
        }
        out.add(new Reply.Simple(cookie, error, null));
        return true;
    }

    private boolean decodeSimpleData(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < payloadLength) return false;
        state = State.MAGIC;
        if (mode == HeaderMode.STRUCTURED) {
            // well framed (the data has the request's length) but forbidden: it fails only its READ
            in.skipBytes(payloadLength);
            out.add(new Reply.Invalid(cookie, true, "simple reply with data to NBD_CMD_READ after structured replies were"
                + " negotiated (the protocol requires a structured reply)"));
            return true;
        }
        ByteBuf data = in.readRetainedSlice(payloadLength);
        out.add(new Reply.Simple(cookie, 0, data));
        return true;
    }

    private boolean decodeStructuredHeader(ByteBuf in) {
        if (in.readableBytes() < NbdMagic.STRUCTURED_REPLY_SIZE) return false;
        in.skipBytes(4);
        flags = in.readUnsignedShort();
        type = in.readUnsignedShort();
        cookie = in.readLong();
        headerOffset = -1;
        return chunkHeader(in.readUnsignedInt());
    }

    private boolean decodeExtendedHeader(ByteBuf in) {
        if (in.readableBytes() < NbdMagic.EXTENDED_REPLY_SIZE) return false;
        in.skipBytes(4);
        flags = in.readUnsignedShort();
        type = in.readUnsignedShort();
        cookie = in.readLong();
        headerOffset = in.readLong();
        long length = in.readLong();
        return chunkHeader(length);
    }

    /** Checks the cookie and the payload length (unsigned) of a chunk header. */
    private boolean chunkHeader(long length) {
        request = requestFor(cookie);
        long cap = maxPayload(type);
        if (cap < 0) {
            throw new NbdProtocolException(String.format("unknown reply chunk type 0x%04x for cookie 0x%x", type, cookie));
        }
        if (Long.compareUnsigned(length, cap) > 0) {
            throw new NbdProtocolException("reply chunk length " + Long.toUnsignedString(length) + " for " + typeName(type)
                + " exceeds " + cap);
        }
        payloadLength = (int) length;
        state = State.CHUNK_PAYLOAD;
        return true;
    }

    /** Payload cap for a chunk type, -1 for an unknown non-error type. */
    long maxPayload(int t) {
        NbdReplyType rt = NbdReplyType.of(t);
        if (rt == null) return NbdReplyType.isError(t) ? MAX_ERROR_PAYLOAD : -1;
        return switch (rt) {
            case NONE -> 0;
            case OFFSET_DATA -> maxReadPayload + 8;
            case OFFSET_HOLE -> 12;
            case BLOCK_STATUS -> 4 + 8L * MAX_DESCRIPTORS;
            case BLOCK_STATUS_EXT -> 8 + 16L * MAX_DESCRIPTORS;
            case ERROR, ERROR_OFFSET -> MAX_ERROR_PAYLOAD;
        };
    }

    static String typeName(int t) {
        NbdReplyType rt = NbdReplyType.of(t);
        return rt == null ? String.format("chunk type 0x%04x", t) : "NBD_REPLY_TYPE_" + rt.name();
    }

    private boolean decodeChunkPayload(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < payloadLength) return false;
        ByteBuf p = in.readSlice(payloadLength);
        state = State.MAGIC;
        boolean done = (flags & NbdReplyType.FLAG_DONE) != 0;
        if (headerOffset >= 0 && headerOffset != request.offset()) {
            out.add(new Reply.Invalid(cookie, done, "the reply header's offset " + headerOffset
                + " differs from the request's offset " + request.offset()));
            return true;
        }
        NbdReplyType rt = NbdReplyType.of(type);
        if (rt == null) {
            out.add(error(p, done, false));
            return true;
        }
        out.add(switch (rt) {
            case NONE -> new Reply.None(cookie, done);
            case OFFSET_DATA -> data(p, done);
            case OFFSET_HOLE -> new Reply.Hole(cookie, done, p.readLong(), p.readUnsignedInt());
            case BLOCK_STATUS -> status(p, done);
            case BLOCK_STATUS_EXT -> statusExt(p, done);
            case ERROR -> error(p, done, false);
            case ERROR_OFFSET -> error(p, done, true);
        });
        return true;
    }

    private Reply data(ByteBuf p, boolean done) {
        if (payloadLength < 9) throw new NbdProtocolException("NBD_REPLY_TYPE_OFFSET_DATA length " + payloadLength + " is below 9");
        long offset = p.readLong();
        return new Reply.Data(cookie, done, offset, p.retainedSlice());
    }

    private Reply status(ByteBuf p, boolean done) {
        if (payloadLength < 12 || (payloadLength - 4) % 8 != 0) {
            throw new NbdProtocolException("NBD_REPLY_TYPE_BLOCK_STATUS length " + payloadLength + " is not 4 + 8 * n with n >= 1");
        }
        int contextId = p.readInt();
        int count = (payloadLength - 4) / 8;
        long[] lengths = new long[count];
        long[] status = new long[count];
        for (int i = 0; i < count; i++) {
            lengths[i] = p.readUnsignedInt();
            status[i] = p.readUnsignedInt();
        }
        return new Reply.Status(cookie, done, false, contextId, lengths, status);
    }

    private Reply statusExt(ByteBuf p, boolean done) {
        if (payloadLength < 24 || (payloadLength - 8) % 16 != 0) {
            throw new NbdProtocolException("NBD_REPLY_TYPE_BLOCK_STATUS_EXT length " + payloadLength + " is not 8 + 16 * n with n >= 1");
        }
        int contextId = p.readInt();
        long count = p.readUnsignedInt();
        if (count != (payloadLength - 8) / 16) {
            throw new NbdProtocolException("NBD_REPLY_TYPE_BLOCK_STATUS_EXT descriptor count " + count
                + " does not match payload length " + payloadLength + " (" + (payloadLength - 8) / 16 + " descriptors)");
        }
        int n = (int) count;
        long[] lengths = new long[n];
        long[] status = new long[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = p.readLong();
            status[i] = p.readLong();
            if (lengths[i] < 0) {
                throw new NbdProtocolException("NBD_REPLY_TYPE_BLOCK_STATUS_EXT extent length " + Long.toUnsignedString(lengths[i]) + " exceeds 2^63");
            }
        }
        return new Reply.Status(cookie, done, true, contextId, lengths, status);
    }

    private Reply error(ByteBuf p, boolean done, boolean withOffset) {
        int fixed = withOffset ? 14 : 6;
        if (payloadLength < fixed) {
            throw new NbdProtocolException(typeName(type) + " length " + payloadLength + " is below " + fixed);
        }
        int err = p.readInt();
        int msgLength = p.readUnsignedShort();
        if (msgLength > payloadLength - fixed) {
            throw new NbdProtocolException(typeName(type) + " message length " + msgLength + " exceeds the chunk's "
                + (payloadLength - fixed) + " remaining bytes");
        }
        String message = OptionReplyDecoder.string(p, msgLength);
        long offset = withOffset ? p.readLong() : -1;
        return new Reply.Error(cookie, done, type, err, message, offset);
    }
}
