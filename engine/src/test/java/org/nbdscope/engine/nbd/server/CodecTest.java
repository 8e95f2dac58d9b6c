package org.nbdscope.engine.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.EncoderException;
import org.junit.jupiter.api.Test;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdMagic;
import org.nbdscope.engine.proto.NbdReplyType;

/** The request decoder and reply encoder through EmbeddedChannel. */
class CodecTest {
    private final List<NbdRequest> admitted = new ArrayList<>();

    private EmbeddedChannel decoder(boolean extended, long maxPayload) {
        return new EmbeddedChannel(new RequestDecoder(extended, maxPayload, admitted::add));
    }

    private static ByteBuf compact(int flags, int type, long cookie, long offset, int length, byte[] payload) {
        ByteBuf b = Unpooled.buffer().writeInt(NbdMagic.REQUEST).writeShort(flags).writeShort(type).writeLong(cookie)
            .writeLong(offset).writeInt(length);
        if (payload != null) b.writeBytes(payload);
        return b;
    }

    private static ByteBuf extended(int flags, int type, long cookie, long offset, long length, byte[] payload) {
        ByteBuf b = Unpooled.buffer().writeInt(NbdMagic.EXTENDED_REQUEST).writeShort(flags).writeShort(type).writeLong(cookie)
            .writeLong(offset).writeLong(length);
        if (payload != null) b.writeBytes(payload);
        return b;
    }

    @Test
    void oneByteAtATime() {
        EmbeddedChannel ch = decoder(false, 1 << 20);
        ByteBuf all = compact(0, NbdCommand.WRITE.code(), 5, 4096, 3, new byte[] {7, 8, 9});
        while (all.isReadable()) {
            Object none = ch.readInbound();
            assertThat(none).isNull();
            ch.writeInbound(all.readRetainedSlice(1));
        }
        NbdRequest r = ch.readInbound();
        assertThat(r.cookie()).isEqualTo(5);
        assertThat(r.offset()).isEqualTo(4096);
        assertThat(r.payload().readableBytes()).isEqualTo(3);
        assertThat(r.payload().getByte(2)).isEqualTo((byte) 9);
        r.release();
        all.release();
        assertThat(admitted).hasSize(1);
    }

    @Test
    void severalRequestsInOneBuffer() {
        EmbeddedChannel ch = decoder(true, 1 << 20);
        ByteBuf b = Unpooled.buffer();
        b.writeBytes(extended(0, NbdCommand.BLOCK_STATUS.code(), 1, 0, 1L << 40, null));
        b.writeBytes(extended(0, NbdCommand.WRITE.code(), 2, 0, 2, new byte[] {1, 2}));
        b.writeBytes(extended(NbdCommand.FLAG_PAYLOAD_LEN, NbdCommand.BLOCK_STATUS.code(), 3, 0, 4, new byte[4]));
        b.writeBytes(extended(0, NbdCommand.READ.code(), 4, 0, 512, null));
        ch.writeInbound(b);
        List<NbdRequest> got = new ArrayList<>();
        for (NbdRequest r; (r = ch.readInbound()) != null; ) got.add(r);
        assertThat(got).extracting(NbdRequest::cookie).containsExactly(1L, 2L, 3L, 4L);
        assertThat(got.get(0).length()).isEqualTo(1L << 40);
        assertThat(got.get(1).payload().readableBytes()).as("qemu-style write without PAYLOAD_LEN").isEqualTo(2);
        assertThat(got.get(2).payload().readableBytes()).isEqualTo(4);
        assertThat(got.get(3).payload()).isNull();
        got.forEach(NbdRequest::release);
    }

    @Test
    void badMagicIsFatalAndNamesTheValue() {
        EmbeddedChannel ch = decoder(false, 1 << 20);
        ByteBuf b = extended(0, 0, 1, 0, 0, null); // an extended header where a compact one is due
        assertThatThrownBy(() -> ch.writeInbound(b)).isInstanceOf(DecoderException.class)
            .hasMessageContaining("bad request magic 0x21e41c71, expected 0x25609513");
    }

    @Test
    void oversizeCompactWriteIsDroppedAndItsBytesSkipped() {
        EmbeddedChannel ch = decoder(false, 16);
        ByteBuf b = compact(0, NbdCommand.WRITE.code(), 1, 0, 100, new byte[40]);
        ch.writeInbound(b);
        NbdRequest dropped = ch.readInbound();
        assertThat(dropped.payloadDropped()).isTrue();
        assertThat(dropped.payload()).isNull();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[60]));
        ch.writeInbound(compact(0, NbdCommand.FLUSH.code(), 2, 0, 0, null));
        NbdRequest next = ch.readInbound();
        assertThat(next.cookie()).isEqualTo(2);
        assertThat(next.type()).isEqualTo(NbdCommand.FLUSH.code());
    }

    @Test
    void oversizeExtendedPayloadIsFatal() {
        EmbeddedChannel ch = decoder(true, 16);
        assertThatThrownBy(() -> ch.writeInbound(extended(NbdCommand.FLAG_PAYLOAD_LEN, 1, 1, 0, -1L, null)))
            .hasMessageContaining("payload length 18446744073709551615 exceeds the maximum payload 16");
    }

    @Test
    void repliesInEachMode() {
        EmbeddedChannel simple = new EmbeddedChannel(new ReplyEncoder(HeaderMode.SIMPLE));
        simple.writeOutbound(new Reply.Simple(9, 22, null));
        ByteBuf s = merged(simple);
        assertThat(s.readableBytes()).isEqualTo(16);
        assertThat(s.readInt()).isEqualTo(NbdMagic.SIMPLE_REPLY);
        assertThat(s.readInt()).isEqualTo(22);
        assertThat(s.readLong()).isEqualTo(9);

        EmbeddedChannel structured = new EmbeddedChannel(new ReplyEncoder(HeaderMode.STRUCTURED));
        structured.writeOutbound(new Reply.Chunk(3, 4096, NbdReplyType.FLAG_DONE, NbdReplyType.OFFSET_HOLE.code(),
            Unpooled.buffer().writeLong(4096).writeInt(512)));
        ByteBuf c = merged(structured);
        assertThat(c.readableBytes()).isEqualTo(20 + 12);
        assertThat(c.readInt()).isEqualTo(NbdMagic.STRUCTURED_REPLY);
        assertThat(c.readUnsignedShort()).isEqualTo(NbdReplyType.FLAG_DONE);
        assertThat(c.readUnsignedShort()).isEqualTo(NbdReplyType.OFFSET_HOLE.code());
        assertThat(c.readLong()).isEqualTo(3);
        assertThat(c.readInt()).isEqualTo(12);

        EmbeddedChannel ext = new EmbeddedChannel(new ReplyEncoder(HeaderMode.EXTENDED));
        ext.writeOutbound(new Reply.Chunk(7, 1L << 40, NbdReplyType.FLAG_DONE, NbdReplyType.NONE.code(), null));
        ByteBuf e = merged(ext);
        assertThat(e.readableBytes()).isEqualTo(32);
        assertThat(e.readInt()).isEqualTo(NbdMagic.EXTENDED_REPLY);
        e.skipBytes(4);
        assertThat(e.readLong()).isEqualTo(7);
        assertThat(e.readLong()).as("the request offset is echoed").isEqualTo(1L << 40);
        assertThat(e.readLong()).isZero();

        assertThatThrownBy(() -> ext.writeOutbound(new Reply.Simple(1, 0, null))).isInstanceOf(EncoderException.class);
        assertThatThrownBy(() -> simple.writeOutbound(new Reply.Chunk(1, 0, 1, 0, null))).isInstanceOf(EncoderException.class);
    }

    @Test
    void errorMessagesAreCutTo4096BytesOnACharacterBoundary() {
        String longText = "é".repeat(3000);
        byte[] b = Replies.utf8(longText);
        assertThat(b.length).isLessThanOrEqualTo(4096).isEven();
        ByteBuf p = Replies.errorPayload(Unpooled.buffer().alloc(), 22, longText);
        assertThat(p.readInt()).isEqualTo(22);
        assertThat(p.readUnsignedShort()).isEqualTo(p.readableBytes());
    }

    private static ByteBuf merged(EmbeddedChannel ch) {
        ByteBuf all = Unpooled.buffer();
        for (ByteBuf b; (b = ch.readOutbound()) != null; ) {
            all.writeBytes(b);
            b.release();
        }
        return all;
    }
}
