package org.nbdscope.engine.nbd.client;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import org.nbdscope.engine.nbd.client.HandshakeMessage.Ack;
import org.nbdscope.engine.nbd.client.HandshakeMessage.BlockSizeInfo;
import org.nbdscope.engine.nbd.client.HandshakeMessage.DescriptionInfo;
import org.nbdscope.engine.nbd.client.HandshakeMessage.Error;
import org.nbdscope.engine.nbd.client.HandshakeMessage.ExportInfo;
import org.nbdscope.engine.nbd.client.HandshakeMessage.ExportNameReply;
import org.nbdscope.engine.nbd.client.HandshakeMessage.Greeting;
import org.nbdscope.engine.nbd.client.HandshakeMessage.Info;
import org.nbdscope.engine.nbd.client.HandshakeMessage.InfoItem;
import org.nbdscope.engine.nbd.client.HandshakeMessage.InitStateInfo;
import org.nbdscope.engine.nbd.client.HandshakeMessage.MetaContext;
import org.nbdscope.engine.nbd.client.HandshakeMessage.NameInfo;
import org.nbdscope.engine.nbd.client.HandshakeMessage.Server;
import org.nbdscope.engine.nbd.client.HandshakeMessage.UnknownInfo;
import org.nbdscope.engine.proto.NbdInfo;
import org.nbdscope.engine.proto.NbdMagic;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.NbdOptionReply;

/**
 * Decodes the server side of the handshake: the greeting, option replies, and the reply to
 * {@code NBD_OPT_EXPORT_NAME}. One method per {@link State}; every length is checked against a cap
 * before anything is read or allocated, and a violation throws {@link NbdProtocolException} naming the
 * field and value (which ends the connection).
 */
final class OptionReplyDecoder extends ByteToMessageDecoder {
    /** Strings in the protocol are at most 4096 bytes. */
    static final int MAX_STRING = 4096;
    /** {@code NBD_REP_SERVER}: 4-byte length, a name and a description of at most 4096 bytes each. */
    static final int MAX_SERVER_REPLY = 4 + 2 * MAX_STRING;
    static final int OPTION_REPLY_HEADER = 20;
    static final int GREETING = 18;
    static final int EXPORT_NAME_REPLY = 10;
    static final int EXPORT_NAME_ZEROES = 124;
    /**
     * All replies to one option together (a LIST of many exports, a LIST_META_CONTEXT of many contexts):
     * each reply is capped, so without this a server could stream replies until memory runs out.
     */
    static final long MAX_REPLIES_BYTES = 16L << 20;

    enum State { GREETING, OPTION_HEADER, OPTION_PAYLOAD, EXPORT_NAME_REPLY, IDLE }

    private State state = State.GREETING;
    /** The option whose reply is awaited; replies naming another option are a protocol error. */
    private int expectedOption = -1;
    private boolean noZeroes;
    private int replyOption;
    private int replyType;
    private int replyLength;
    /** Bytes of replies (headers included) received for the current option. */
    private long repliesBytes;

    /** The next reply must answer {@code option}. */
    void expect(int option) {
        expectedOption = option;
        repliesBytes = 0;
        if (state == State.IDLE) state = State.OPTION_HEADER;
    }

    /** The next bytes are the reply to {@code NBD_OPT_EXPORT_NAME} (with 124 zero bytes unless NO_ZEROES). */
    void expectExportName(boolean noZeroes) {
        this.noZeroes = noZeroes;
        state = State.EXPORT_NAME_REPLY;
    }

    State state() { return state; }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        boolean progress = true;
        while (progress && out.isEmpty()) {
            progress = switch (state) {
                case GREETING -> decodeGreeting(in, out);
                case OPTION_HEADER -> decodeOptionHeader(in);
                case OPTION_PAYLOAD -> decodeOptionPayload(in, out);
                case EXPORT_NAME_REPLY -> decodeExportNameReply(in, out);
                case IDLE -> decodeIdle(in);
            };
        }
    }

    private boolean decodeGreeting(ByteBuf in, List<Object> out) {
        if (in.readableBytes() >= 8) {
            long magic = in.getLong(in.readerIndex());
            if (magic != NbdMagic.NBDMAGIC) {
                throw new NbdProtocolException(String.format(
                    "bad server magic 0x%016x (expected NBDMAGIC 0x%016x): is this an NBD server?", magic, NbdMagic.NBDMAGIC));
            }
        }
        if (in.readableBytes() >= 16) {
            long magic = in.getLong(in.readerIndex() + 8);
            if (magic == NbdMagic.OLDSTYLE) {
                throw new NbdProtocolException("the server uses oldstyle negotiation; oldstyle negotiation is not supported");
            }
            if (magic != NbdMagic.IHAVEOPT) {
                throw new NbdProtocolException(String.format(
                    "bad newstyle magic 0x%016x (expected IHAVEOPT 0x%016x)", magic, NbdMagic.IHAVEOPT));
            }
        }
        if (in.readableBytes() < GREETING) return false;
        in.skipBytes(16);
        int flags = in.readUnsignedShort();
        state = State.IDLE;
        out.add(new Greeting(flags));
        return true;
    }

    /** Nothing is expected: any byte from the server now is a protocol violation. */
    private boolean decodeIdle(ByteBuf in) {
        if (!in.isReadable()) return false;
        throw new NbdProtocolException("the server sent " + in.readableBytes() + " bytes while no option reply was expected");
    }

    private boolean decodeOptionHeader(ByteBuf in) {
        if (in.readableBytes() < OPTION_REPLY_HEADER) return false;
        long magic = in.readLong();
        if (magic != NbdMagic.OPTION_REPLY) {
            throw new NbdProtocolException(String.format("bad option reply magic 0x%016x (expected 0x%016x)", magic, NbdMagic.OPTION_REPLY));
        }
        replyOption = in.readInt();
        replyType = in.readInt();
        long length = in.readUnsignedInt();
        if (replyOption != expectedOption) {
            throw new NbdProtocolException("option reply names " + NbdOption.name(replyOption) + " but "
                + NbdOption.name(expectedOption) + " was sent");
        }
        long cap = maxLength(replyType);
        if (cap < 0) {
            throw new NbdProtocolException(String.format("unknown option reply type 0x%08x to %s", replyType, NbdOption.name(replyOption)));
        }
        if (length > cap) {
            throw new NbdProtocolException("option reply length " + length + " for " + NbdOptionReply.name(replyType)
                + " to " + NbdOption.name(replyOption) + " exceeds " + cap);
        }
        repliesBytes += OPTION_REPLY_HEADER + length;
        if (repliesBytes > MAX_REPLIES_BYTES) {
            throw new NbdProtocolException("replies to " + NbdOption.name(replyOption) + " exceed " + MAX_REPLIES_BYTES
                + " bytes in total (at a " + NbdOptionReply.name(replyType) + " of " + length + " bytes)");
        }
        replyLength = (int) length;
        state = State.OPTION_PAYLOAD;
        return true;
    }

    /** The largest payload accepted for a reply type, or -1 for an unknown non-error type. */
    static long maxLength(int type) {
        if (NbdOptionReply.isError(type)) return MAX_STRING;
        NbdOptionReply r = NbdOptionReply.of(type);
        if (r == null) return -1;
        return switch (r) {
            case ACK -> 0;
            case SERVER -> MAX_SERVER_REPLY;
            case INFO -> 2 + MAX_STRING;
            case META_CONTEXT -> 4 + MAX_STRING;
            default -> MAX_STRING;
        };
    }

    private boolean decodeOptionPayload(ByteBuf in, List<Object> out) {
        if (in.readableBytes() < replyLength) return false;
        ByteBuf p = in.readSlice(replyLength);
        int option = replyOption;
        // ACK and errors end an option's replies; SERVER, INFO and META_CONTEXT are followed by more
        boolean last = NbdOptionReply.isError(replyType) || replyType == NbdOptionReply.ACK.code();
        state = last ? State.IDLE : State.OPTION_HEADER;
        if (NbdOptionReply.isError(replyType)) {
            out.add(new Error(option, replyType, string(p, p.readableBytes())));
            return true;
        }
        out.add(switch (NbdOptionReply.of(replyType)) {
            case ACK -> new Ack(option);
            case SERVER -> server(option, p);
            case INFO -> new Info(option, info(p));
            case META_CONTEXT -> metaContext(option, p);
            default -> throw new NbdProtocolException("unexpected option reply " + NbdOptionReply.name(replyType));
        });
        return true;
    }

    private static Server server(int option, ByteBuf p) {
        if (p.readableBytes() < 4) throw new NbdProtocolException("NBD_REP_SERVER length " + p.readableBytes() + " is below 4");
        long nameLength = p.readUnsignedInt();
        if (nameLength > p.readableBytes()) {
            throw new NbdProtocolException("NBD_REP_SERVER name length " + nameLength + " exceeds the reply's " + p.readableBytes() + " remaining bytes");
        }
        if (nameLength > MAX_STRING) throw new NbdProtocolException("NBD_REP_SERVER name length " + nameLength + " exceeds " + MAX_STRING);
        String name = string(p, (int) nameLength);
        if (p.readableBytes() > MAX_STRING) {
            throw new NbdProtocolException("NBD_REP_SERVER description length " + p.readableBytes() + " exceeds " + MAX_STRING);
        }
        return new Server(option, name, string(p, p.readableBytes()));
    }

    private static MetaContext metaContext(int option, ByteBuf p) {
        if (p.readableBytes() < 5) throw new NbdProtocolException("NBD_REP_META_CONTEXT length " + p.readableBytes() + " is below 5");
        int id = p.readInt();
        return new MetaContext(option, id, string(p, p.readableBytes()));
    }

    private static InfoItem info(ByteBuf p) {
        if (p.readableBytes() < 2) throw new NbdProtocolException("NBD_REP_INFO length " + p.readableBytes() + " is below 2");
        int type = p.readUnsignedShort();
        int rest = p.readableBytes();
        NbdInfo info = NbdInfo.of(type);
        if (info == null) return new UnknownInfo(type, rest);
        return switch (info) {
            case EXPORT -> {
                exact("NBD_INFO_EXPORT", rest, 10);
                yield new ExportInfo(p.readLong(), p.readUnsignedShort());
            }
            case NAME -> new NameInfo(string(p, rest));
            case DESCRIPTION -> new DescriptionInfo(string(p, rest));
            case BLOCK_SIZE -> {
                exact("NBD_INFO_BLOCK_SIZE", rest, 12);
                yield blockSize(p.readUnsignedInt(), p.readUnsignedInt(), p.readUnsignedInt());
            }
            case INIT_STATE -> {
                exact("NBD_INFO_INIT_STATE", rest, 2);
                yield new InitStateInfo(p.readUnsignedShort());
            }
        };
    }

    private static BlockSizeInfo blockSize(long min, long preferred, long max) {
        if (min == 0 || Long.bitCount(min) != 1 || min > 65536) {
            throw new NbdProtocolException("NBD_INFO_BLOCK_SIZE minimum " + min + " is not a power of 2 in 1..65536");
        }
        if (preferred == 0) throw new NbdProtocolException("NBD_INFO_BLOCK_SIZE preferred size is 0");
        if (max < min) {
            throw new NbdProtocolException("NBD_INFO_BLOCK_SIZE maximum " + max + " is below the minimum " + min);
        }
        return new BlockSizeInfo(min, preferred, max);
    }

    private static void exact(String what, int length, int expected) {
        if (length != expected) {
            throw new NbdProtocolException(what + " payload length " + (length + 2) + " is not " + (expected + 2));
        }
    }

    private boolean decodeExportNameReply(ByteBuf in, List<Object> out) {
        int need = EXPORT_NAME_REPLY + (noZeroes ? 0 : EXPORT_NAME_ZEROES);
        if (in.readableBytes() < need) return false;
        long size = in.readLong();
        int flags = in.readUnsignedShort();
        in.skipBytes(need - EXPORT_NAME_REPLY);
        state = State.IDLE;
        out.add(new ExportNameReply(size, flags));
        return true;
    }

    /** Reads {@code length} bytes (already checked against a cap) as UTF-8. */
    static String string(ByteBuf p, int length) {
        if (length > MAX_STRING) throw new NbdProtocolException("string length " + length + " exceeds " + MAX_STRING);
        return p.readCharSequence(length, StandardCharsets.UTF_8).toString();
    }
}
