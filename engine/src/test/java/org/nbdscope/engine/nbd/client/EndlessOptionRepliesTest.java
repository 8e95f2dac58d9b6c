package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nbdscope.engine.nbd.client.Wire.*;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;
import org.nbdscope.engine.proto.NbdOption;

/**
 * A server that streams replies to one option without end (each reply within its own cap) is cut off at
 * {@link OptionReplyDecoder#MAX_REPLIES_BYTES}; the budget starts again with the next option.
 */
class EndlessOptionRepliesTest {
    final OptionReplyDecoder decoder = new OptionReplyDecoder();
    final EmbeddedChannel ch = new EmbeddedChannel(decoder);

    int drain() {
        int n = 0;
        while (ch.readInbound() != null) n++;
        return n;
    }

    @Test
    void endlessListIsCutOffNamingTheOptionAndTheLimit() {
        ch.writeInbound(greeting(FIXED));
        drain();
        decoder.expect(NbdOption.LIST.code());
        String name = "x".repeat(4000);
        ByteBuf one = server(name, "");
        int perReply = one.readableBytes();
        long fit = OptionReplyDecoder.MAX_REPLIES_BYTES / perReply;
        for (long i = 0; i < fit; i++) {
            ch.writeInbound(one.retainedDuplicate());
            assertThat(drain()).isEqualTo(1);
        }
        assertThatThrownBy(() -> ch.writeInbound(one.retainedDuplicate())).isInstanceOf(DecoderException.class)
            .cause().isInstanceOf(NbdProtocolException.class)
            .hasMessage("replies to NBD_OPT_LIST exceed 16777216 bytes in total (at a NBD_REP_SERVER of " + (perReply - 20) + " bytes)");
        one.release();
    }

    @Test
    void theBudgetIsPerOption() {
        ch.writeInbound(greeting(FIXED));
        drain();
        ByteBuf one = metaContext(NbdOption.LIST_META_CONTEXT, 0, "qemu:dirty-bitmap:" + "b".repeat(4000));
        long fit = OptionReplyDecoder.MAX_REPLIES_BYTES / one.readableBytes();
        for (int round = 0; round < 3; round++) {
            decoder.expect(NbdOption.LIST_META_CONTEXT.code());
            for (long i = 0; i < fit - 1; i++) ch.writeInbound(one.retainedDuplicate());
            ch.writeInbound(ack(NbdOption.LIST_META_CONTEXT));
            assertThat(drain()).isEqualTo(fit);
        }
        one.release();
    }
}
