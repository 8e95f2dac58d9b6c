package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nbdscope.engine.nbd.client.Wire.*;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;
import org.nbdscope.engine.nbd.client.HandshakeMessage.Ack;
import org.nbdscope.engine.nbd.client.HandshakeMessage.BlockSizeInfo;
import org.nbdscope.engine.nbd.client.HandshakeMessage.DescriptionInfo;
import org.nbdscope.engine.nbd.client.HandshakeMessage.ExportInfo;
import org.nbdscope.engine.nbd.client.HandshakeMessage.ExportNameReply;
import org.nbdscope.engine.nbd.client.HandshakeMessage.Greeting;
import org.nbdscope.engine.nbd.client.HandshakeMessage.Info;
import org.nbdscope.engine.nbd.client.HandshakeMessage.InitStateInfo;
import org.nbdscope.engine.nbd.client.HandshakeMessage.MetaContext;
import org.nbdscope.engine.nbd.client.HandshakeMessage.NameInfo;
import org.nbdscope.engine.nbd.client.HandshakeMessage.Server;
import org.nbdscope.engine.nbd.client.HandshakeMessage.UnknownInfo;
import org.nbdscope.engine.proto.NbdInfo;
import org.nbdscope.engine.proto.NbdMagic;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.NbdOptionReply;

/** {@link OptionReplyDecoder} through an {@link EmbeddedChannel}. */
class NbdOptionReplyDecoderTest {
    final OptionReplyDecoder decoder = new OptionReplyDecoder();
    final EmbeddedChannel ch = new EmbeddedChannel(decoder);

    List<HandshakeMessage> oneByteAtATime(ByteBuf bytes) {
        List<HandshakeMessage> out = new ArrayList<>();
        while (bytes.isReadable()) {
            ch.writeInbound(bytes.readRetainedSlice(1));
            HandshakeMessage m;
            while ((m = ch.readInbound()) != null) out.add(m);
        }
        bytes.release();
        return out;
    }

    List<HandshakeMessage> all(ByteBuf bytes) {
        ch.writeInbound(bytes);
        List<HandshakeMessage> out = new ArrayList<>();
        HandshakeMessage m;
        while ((m = ch.readInbound()) != null) out.add(m);
        return out;
    }

    void assertClosesWith(ByteBuf bytes, String message) {
        assertThatThrownBy(() -> ch.writeInbound(bytes)).isInstanceOf(DecoderException.class)
            .cause().isInstanceOf(NbdProtocolException.class).hasMessageContaining(message);
    }

    void greeted() {
        assertThat(all(greeting(FIXED))).containsExactly(new Greeting(FIXED));
    }

    @Test
    void greetingOneByteAtATime() {
        assertThat(oneByteAtATime(greeting(3))).containsExactly(new Greeting(3));
        assertThat(decoder.state()).isEqualTo(OptionReplyDecoder.State.IDLE);
    }

    @Test
    void oldstyleIsRefusedClearly() {
        ByteBuf old = buf().writeLong(NbdMagic.NBDMAGIC).writeLong(NbdMagic.OLDSTYLE).writeLong(1 << 20).writeInt(1).writeZero(124);
        assertClosesWith(old, "oldstyle negotiation is not supported");
    }

    @Test
    void notAnNbdServer() {
        assertClosesWith(buf().writeBytes("SSH-2.0-OpenSSH_9.2\r\n".getBytes()), "bad server magic 0x5353482d322e302d");
    }

    @Test
    void badNewstyleMagic() {
        assertClosesWith(buf().writeLong(NbdMagic.NBDMAGIC).writeLong(0x1234L).writeShort(1), "bad newstyle magic 0x0000000000001234");
    }

    @Test
    void goRepliesInOneBufferAndOneByteAtATime() {
        greeted();
        decoder.expect(NbdOption.GO.code());
        ByteBuf replies = concat(infoExport(1L << 40, 0x1ed), infoBlockSize(512, 4096, 32 << 20), infoInitState(3),
            infoString(NbdInfo.NAME, "disk"), infoString(NbdInfo.DESCRIPTION, "a disk"),
            optionReply(NbdOption.GO, NbdOptionReply.INFO.code(), buf().writeShort(42).writeInt(7)), ack(NbdOption.GO));
        List<HandshakeMessage> expected = List.of(
            new Info(7, new ExportInfo(1L << 40, 0x1ed)), new Info(7, new BlockSizeInfo(512, 4096, 32 << 20)),
            new Info(7, new InitStateInfo(3)), new Info(7, new NameInfo("disk")), new Info(7, new DescriptionInfo("a disk")),
            new Info(7, new UnknownInfo(42, 4)), new Ack(7));
        ByteBuf copy = replies.copy();
        assertThat(all(replies)).isEqualTo(expected);
        decoder.expect(NbdOption.GO.code());
        assertThat(oneByteAtATime(copy)).isEqualTo(expected);
    }

    @Test
    void listAndMetaContexts() {
        greeted();
        decoder.expect(NbdOption.LIST.code());
        assertThat(all(concat(server("a", "first"), server("", ""), ack(NbdOption.LIST))))
            .containsExactly(new Server(3, "a", "first"), new Server(3, "", ""), new Ack(3));
        decoder.expect(NbdOption.SET_META_CONTEXT.code());
        assertThat(all(concat(metaContext(NbdOption.SET_META_CONTEXT, 1, "base:allocation"), ack(NbdOption.SET_META_CONTEXT))))
            .containsExactly(new MetaContext(10, 1, "base:allocation"), new Ack(10));
    }

    @Test
    void errorRepliesCarryTheMessage() {
        greeted();
        decoder.expect(NbdOption.GO.code());
        assertThat(all(error(NbdOption.GO, NbdOptionReply.ERR_UNKNOWN, "no such export")))
            .containsExactly(new HandshakeMessage.Error(7, NbdOptionReply.ERR_UNKNOWN.code(), "no such export"));
    }

    @Test
    void exportNameReplyWithAndWithoutZeroes() {
        greeted();
        decoder.expectExportName(false);
        ByteBuf withZeroes = buf().writeLong(12345).writeShort(3).writeZero(124);
        assertThat(oneByteAtATime(withZeroes)).containsExactly(new ExportNameReply(12345, 3));
        decoder.expectExportName(true);
        assertThat(all(buf().writeLong(1 << 20).writeShort(1))).containsExactly(new ExportNameReply(1 << 20, 1));
    }

    @Test
    void replyToAnotherOption() {
        greeted();
        decoder.expect(NbdOption.LIST.code());
        assertClosesWith(ack(NbdOption.GO), "option reply names NBD_OPT_GO but NBD_OPT_LIST was sent");
    }

    @Test
    void bytesWhileIdle() {
        greeted();
        assertClosesWith(ack(NbdOption.GO), "while no option reply was expected");
    }

    @Test
    void badOptionReplyMagic() {
        greeted();
        decoder.expect(NbdOption.GO.code());
        assertClosesWith(buf().writeLong(0x1122334455667788L).writeInt(7).writeInt(1).writeInt(0), "bad option reply magic 0x1122334455667788");
    }

    @Test
    void unknownReplyType() {
        greeted();
        decoder.expect(NbdOption.GO.code());
        assertClosesWith(optionReply(NbdOption.GO, 77, null), "unknown option reply type 0x0000004d to NBD_OPT_GO");
    }

    @Test
    void oversizeReplyIsRefusedBeforeItsPayload() {
        greeted();
        decoder.expect(NbdOption.LIST.code());
        ByteBuf header = buf().writeLong(NbdMagic.OPTION_REPLY).writeInt(3).writeInt(2).writeInt(1 << 30);
        assertClosesWith(header, "option reply length 1073741824 for NBD_REP_SERVER to NBD_OPT_LIST exceeds 8196");
    }

    @Test
    void stringsLongerThan4096() {
        greeted();
        decoder.expect(NbdOption.SET_META_CONTEXT.code());
        assertClosesWith(metaContext(NbdOption.SET_META_CONTEXT, 1, "x:" + "y".repeat(4095)), "length 4101 for NBD_REP_META_CONTEXT");
        EmbeddedChannel other = new EmbeddedChannel(new OptionReplyDecoder());
        other.writeInbound(greeting(FIXED));
        other.readInbound();
        ((OptionReplyDecoder) other.pipeline().first()).expect(NbdOption.LIST.code());
        ByteBuf p = buf().writeInt(5000).writeBytes(new byte[5000]);
        assertThatThrownBy(() -> other.writeInbound(optionReply(NbdOption.LIST, NbdOptionReply.SERVER.code(), p)))
            .cause().hasMessageContaining("NBD_REP_SERVER name length 5000 exceeds 4096");
    }

    @Test
    void serverNameLengthPastTheReply() {
        greeted();
        decoder.expect(NbdOption.LIST.code());
        assertClosesWith(optionReply(NbdOption.LIST, NbdOptionReply.SERVER.code(), buf().writeInt(10).writeByte('a')),
            "NBD_REP_SERVER name length 10 exceeds the reply's 1 remaining bytes");
    }

    @Test
    void infoWithWrongLength() {
        greeted();
        decoder.expect(NbdOption.GO.code());
        assertClosesWith(optionReply(NbdOption.GO, NbdOptionReply.INFO.code(), buf().writeShort(0).writeLong(1)),
            "NBD_INFO_EXPORT payload length 10 is not 12");
    }

    @Test
    void initStateWithWrongLength() {
        greeted();
        decoder.expect(NbdOption.GO.code());
        assertClosesWith(optionReply(NbdOption.GO, NbdOptionReply.INFO.code(), buf().writeShort(4).writeInt(3)),
            "NBD_INFO_INIT_STATE payload length 6 is not 4");
    }

    @Test
    void blockSizeNotAPowerOfTwo() {
        greeted();
        decoder.expect(NbdOption.GO.code());
        assertClosesWith(infoBlockSize(3, 4096, 1 << 20), "NBD_INFO_BLOCK_SIZE minimum 3 is not a power of 2");
    }

    @Test
    void ackWithPayload() {
        greeted();
        decoder.expect(NbdOption.STRUCTURED_REPLY.code());
        assertClosesWith(optionReply(NbdOption.STRUCTURED_REPLY, NbdOptionReply.ACK.code(), buf().writeInt(1)),
            "option reply length 4 for NBD_REP_ACK to NBD_OPT_STRUCTURED_REPLY exceeds 0");
    }
}
