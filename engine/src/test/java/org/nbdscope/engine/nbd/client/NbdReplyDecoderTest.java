package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nbdscope.engine.nbd.client.Wire.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdReplyType;

/** {@link ReplyDecoder} through an {@link EmbeddedChannel}: framing, byte-at-a-time input, hostile servers. */
class NbdReplyDecoderTest {
    static final long MAX_READ = 1 << 20;
    final Map<Long, NbdRequest> inFlight = new HashMap<>();

    EmbeddedChannel channel(HeaderMode mode) {
        return new EmbeddedChannel(new ReplyDecoder(mode, MAX_READ, inFlight::get));
    }

    void request(long cookie, NbdCommand c, long offset, long length) {
        inFlight.put(cookie, new NbdRequest(c, 0, cookie, offset, length, null));
    }

    static List<Reply> oneByteAtATime(EmbeddedChannel ch, ByteBuf bytes) {
        List<Reply> out = new ArrayList<>();
        while (bytes.isReadable()) {
            ch.writeInbound(bytes.readRetainedSlice(1));
            Reply r;
            while ((r = ch.readInbound()) != null) out.add(r);
        }
        bytes.release();
        return out;
    }

    static List<Reply> all(EmbeddedChannel ch, ByteBuf bytes) {
        ch.writeInbound(bytes);
        List<Reply> out = new ArrayList<>();
        Reply r;
        while ((r = ch.readInbound()) != null) out.add(r);
        return out;
    }

    static void assertClosesWith(EmbeddedChannel ch, ByteBuf bytes, String message) {
        assertThatThrownBy(() -> ch.writeInbound(bytes)).isInstanceOf(DecoderException.class)
            .cause().isInstanceOf(NbdProtocolException.class).hasMessageContaining(message);
    }

    @Test
    void simpleReadReplyOneByteAtATime() {
        EmbeddedChannel ch = channel(HeaderMode.SIMPLE);
        request(7, NbdCommand.READ, 0, 8);
        request(8, NbdCommand.WRITE, 0, 8);
        List<Reply> out = oneByteAtATime(ch, concat(simple(7, 0, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}), simple(8, 5, null)));
        assertThat(out).hasSize(2);
        Reply.Simple read = (Reply.Simple) out.get(0);
        assertThat(read.cookie()).isEqualTo(7);
        assertThat(ByteBufUtil.getBytes(read.data())).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        read.data().release();
        assertThat(out.get(1)).isEqualTo(new Reply.Simple(8, 5, null));
        assertThat(ch.finish()).isFalse();
    }

    @Test
    void failedSimpleReadCarriesNoData() {
        EmbeddedChannel ch = channel(HeaderMode.SIMPLE);
        request(1, NbdCommand.READ, 0, 4096);
        request(2, NbdCommand.FLUSH, 0, 0);
        List<Reply> out = all(ch, concat(simple(1, 22, null), simple(2, 0, null)));
        assertThat(out).containsExactly(new Reply.Simple(1, 22, null), new Reply.Simple(2, 0, null));
    }

    @Test
    void aSimpleErrorToAReadAfterStructuredRepliesIsInvalidButFramedAsOne() {
        EmbeddedChannel ch = channel(HeaderMode.STRUCTURED);
        request(1, NbdCommand.READ, 0, 4096);
        request(2, NbdCommand.FLUSH, 0, 0);
        List<Reply> out = all(ch, concat(simple(1, 22, null), simple(2, 0, null)));
        assertThat(out).hasSize(2);
        assertThat(out.get(0)).isInstanceOf(Reply.Invalid.class);
        assertThat(((Reply.Invalid) out.get(0)).reason()).startsWith("simple reply with NBD_EINVAL (22, Invalid argument) to NBD_CMD_READ");
        assertThat(out.get(1)).isEqualTo(new Reply.Simple(2, 0, null));
    }

    @Test
    void severalStructuredChunksInOneBuffer() {
        EmbeddedChannel ch = channel(HeaderMode.STRUCTURED);
        request(1, NbdCommand.READ, 4096, 8192);
        request(2, NbdCommand.BLOCK_STATUS, 0, 1 << 20);
        List<Reply> out = all(ch, concat(
            chunk(false, NbdReplyType.OFFSET_DATA, 1, data(4096, new byte[] {9, 9, 9})),
            chunk(false, NbdReplyType.BLOCK_STATUS, 2, status(1, 4096, 0, 1044480, 3)),
            chunk(false, NbdReplyType.OFFSET_HOLE, 1, hole(4099, 8189)),
            chunk(true, NbdReplyType.NONE, 1, null),
            chunk(true, NbdReplyType.ERROR, 2, errorPayload(5, "disk on fire"))));
        assertThat(out).hasSize(5);
        Reply.Data d = (Reply.Data) out.get(0);
        assertThat(d.offset()).isEqualTo(4096);
        assertThat(d.done()).isFalse();
        assertThat(ByteBufUtil.getBytes(d.data())).containsExactly(9, 9, 9);
        d.data().release();
        Reply.Status s = (Reply.Status) out.get(1);
        assertThat(s.extended()).isFalse();
        assertThat(s.contextId()).isEqualTo(1);
        assertThat(s.lengths()).containsExactly(4096, 1044480);
        assertThat(s.status()).containsExactly(0, 3);
        assertThat(out.get(2)).isEqualTo(new Reply.Hole(1, false, 4099, 8189));
        assertThat(out.get(3)).isEqualTo(new Reply.None(1, true));
        assertThat(out.get(4)).isEqualTo(new Reply.Error(2, true, NbdReplyType.ERROR.code(), 5, "disk on fire", -1));
    }

    @Test
    void extendedChunksOneByteAtATime() {
        EmbeddedChannel ch = channel(HeaderMode.EXTENDED);
        long tib = 1L << 40;
        request(3, NbdCommand.BLOCK_STATUS, 0, tib);
        request(4, NbdCommand.WRITE_ZEROES, 1 << 20, tib - (1 << 20));
        List<Reply> out = oneByteAtATime(ch, concat(
            ext(false, NbdReplyType.BLOCK_STATUS_EXT, 3, 0, statusExt(1, 1L << 20, 0, tib - (1 << 20), 3)),
            ext(true, NbdReplyType.NONE, 3, 0, null),
            ext(true, NbdReplyType.ERROR_OFFSET, 4, 1 << 20, concat(errorPayload(95, "no"), buf().writeLong(1 << 20)))));
        assertThat(out).hasSize(3);
        Reply.Status s = (Reply.Status) out.get(0);
        assertThat(s.extended()).isTrue();
        assertThat(s.lengths()).containsExactly(1L << 20, tib - (1 << 20));
        assertThat(out.get(1)).isEqualTo(new Reply.None(3, true));
        assertThat(out.get(2)).isEqualTo(new Reply.Error(4, true, NbdReplyType.ERROR_OFFSET.code(), 95, "no", 1 << 20));
    }

    @Test
    void extendedHeaderOffsetMismatchFailsOnlyItsRequest() {
        EmbeddedChannel ch = channel(HeaderMode.EXTENDED);
        request(3, NbdCommand.FLUSH, 0, 0);
        request(4, NbdCommand.FLUSH, 0, 0);
        List<Reply> out = all(ch, concat(ext(true, NbdReplyType.NONE, 3, 512, null), ext(true, NbdReplyType.NONE, 4, 0, null)));
        assertThat(out.get(0)).isInstanceOf(Reply.Invalid.class);
        assertThat(((Reply.Invalid) out.get(0)).reason()).contains("offset 512");
        assertThat(out.get(1)).isEqualTo(new Reply.None(4, true));
    }

    @Test
    void unknownErrorChunkTypeIsAnErrorNotADisconnect() {
        EmbeddedChannel ch = channel(HeaderMode.STRUCTURED);
        request(1, NbdCommand.TRIM, 0, 512);
        List<Reply> out = all(ch, chunk(NbdReplyType.FLAG_DONE, 0x8077, 1, errorPayload(22, "odd")));
        assertThat(out).containsExactly(new Reply.Error(1, true, 0x8077, 22, "odd", -1));
    }

    // ---- hostile servers: each closes the connection with a message naming field and value ----

    @Test
    void badMagic() {
        assertClosesWith(channel(HeaderMode.STRUCTURED), buf().writeInt(0xdeadbeef).writeZero(16), "bad reply magic 0xdeadbeef");
    }

    @Test
    void magicTheModeForbids() {
        request(1, NbdCommand.FLUSH, 0, 0);
        assertClosesWith(channel(HeaderMode.SIMPLE), chunk(true, NbdReplyType.NONE, 1, null), "bad reply magic 0x668e33ef for simple");
        assertClosesWith(channel(HeaderMode.EXTENDED), simple(1, 0, null), "bad reply magic 0x67446698 for extended");
        assertClosesWith(channel(HeaderMode.STRUCTURED), ext(true, NbdReplyType.NONE, 1, 0, null), "bad reply magic 0x6e8a278c");
    }

    @Test
    void unknownCookie() {
        assertClosesWith(channel(HeaderMode.SIMPLE), simple(0x63, 0, null), "unknown cookie 0x63");
        assertClosesWith(channel(HeaderMode.STRUCTURED), chunk(true, NbdReplyType.NONE, 0x64, null), "unknown cookie 0x64");
    }

    @Test
    void oversizeDataIsRefusedBeforeThePayloadArrives() {
        request(1, NbdCommand.READ, 0, MAX_READ);
        ByteBuf header = buf().writeInt(0x668e33ef).writeShort(1).writeShort(1).writeLong(1).writeInt((int) MAX_READ + 9);
        assertClosesWith(channel(HeaderMode.STRUCTURED), header, "reply chunk length " + (MAX_READ + 9) + " for NBD_REPLY_TYPE_OFFSET_DATA exceeds " + (MAX_READ + 8));
    }

    @Test
    void oversizeExtendedLength() {
        request(1, NbdCommand.BLOCK_STATUS, 0, 4096);
        ByteBuf header = buf().writeInt(0x6e8a278c).writeShort(1).writeShort(6).writeLong(1).writeLong(0).writeLong(-2L);
        assertClosesWith(channel(HeaderMode.EXTENDED), header, "reply chunk length 18446744073709551614 for NBD_REPLY_TYPE_BLOCK_STATUS_EXT exceeds");
    }

    @Test
    void oversizeFixedLengthTypes() {
        request(1, NbdCommand.READ, 0, 4096);
        assertClosesWith(channel(HeaderMode.STRUCTURED), chunk(true, NbdReplyType.NONE, 1, buf().writeInt(0)), "length 4 for NBD_REPLY_TYPE_NONE exceeds 0");
        assertClosesWith(channel(HeaderMode.STRUCTURED), chunk(true, NbdReplyType.OFFSET_HOLE, 1, hole(0, 1).writeByte(0)), "length 13 for NBD_REPLY_TYPE_OFFSET_HOLE exceeds 12");
    }

    @Test
    void errorMessageLongerThan4096() {
        request(1, NbdCommand.READ, 0, 4096);
        assertClosesWith(channel(HeaderMode.STRUCTURED), chunk(true, NbdReplyType.ERROR, 1, errorPayload(5, "x".repeat(5000))),
            "length 5006 for NBD_REPLY_TYPE_ERROR exceeds");
    }

    @Test
    void errorMessageLengthPastTheChunk() {
        request(1, NbdCommand.READ, 0, 4096);
        ByteBuf p = buf().writeInt(5).writeShort(100).writeBytes(new byte[10]);
        assertClosesWith(channel(HeaderMode.STRUCTURED), chunk(true, NbdReplyType.ERROR, 1, p), "message length 100 exceeds the chunk's 10");
    }

    @Test
    void statusLengthNotAMultipleOfTheDescriptor() {
        request(1, NbdCommand.BLOCK_STATUS, 0, 4096);
        assertClosesWith(channel(HeaderMode.STRUCTURED), chunk(true, NbdReplyType.BLOCK_STATUS, 1, status(1, 4096, 0).writeByte(1)),
            "NBD_REPLY_TYPE_BLOCK_STATUS length 13 is not 4 + 8 * n");
        assertClosesWith(channel(HeaderMode.STRUCTURED), chunk(true, NbdReplyType.BLOCK_STATUS, 1, status(1)),
            "NBD_REPLY_TYPE_BLOCK_STATUS length 4 is not 4 + 8 * n with n >= 1");
    }

    @Test
    void descriptorCountInconsistentWithLength() {
        request(1, NbdCommand.BLOCK_STATUS, 0, 4096);
        assertClosesWith(channel(HeaderMode.EXTENDED), ext(true, NbdReplyType.BLOCK_STATUS_EXT, 1, 0, statusExtCount(1, 5, 4096, 0)),
            "descriptor count 5 does not match payload length 24");
        assertClosesWith(channel(HeaderMode.EXTENDED), ext(true, NbdReplyType.BLOCK_STATUS_EXT, 1, 0, statusExtCount(1, 0)),
            "NBD_REPLY_TYPE_BLOCK_STATUS_EXT length 8 is not 8 + 16 * n");
    }

    @Test
    void tooManyDescriptors() {
        request(1, NbdCommand.BLOCK_STATUS, 0, 4096);
        long n = ReplyDecoder.MAX_DESCRIPTORS + 1L;
        ByteBuf header = buf().writeInt(0x668e33ef).writeShort(1).writeShort(5).writeLong(1).writeInt((int) (4 + 8 * n));
        assertClosesWith(channel(HeaderMode.STRUCTURED), header, "for NBD_REPLY_TYPE_BLOCK_STATUS exceeds");
    }

    @Test
    void unknownChunkType() {
        request(1, NbdCommand.READ, 0, 4096);
        assertClosesWith(channel(HeaderMode.STRUCTURED), chunk(1, 7, 1, null), "unknown reply chunk type 0x0007 for cookie 0x1");
    }

    @Test
    void shortDataChunk() {
        request(1, NbdCommand.READ, 0, 4096);
        assertClosesWith(channel(HeaderMode.STRUCTURED), chunk(true, NbdReplyType.OFFSET_DATA, 1, buf().writeLong(0)),
            "OFFSET_DATA length 8 is below 9");
    }

    @Test
    void extentLengthBeyondSignedRange() {
        request(1, NbdCommand.BLOCK_STATUS, 0, 4096);
        assertClosesWith(channel(HeaderMode.EXTENDED), ext(true, NbdReplyType.BLOCK_STATUS_EXT, 1, 0, statusExt(1, -1L, 0)),
            "extent length 18446744073709551615");
    }
}
