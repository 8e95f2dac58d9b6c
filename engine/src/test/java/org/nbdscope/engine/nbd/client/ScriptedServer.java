package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdMagic;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.source.WireCounters;

/**
 * A server played by the test over an {@link EmbeddedChannel}: the client's real handshake and
 * transmission handlers run in it; the test reads what the client sent and feeds the server's bytes.
 */
final class ScriptedServer {
    final EmbeddedChannel ch = new EmbeddedChannel();
    final Handshake handshake;
    final CompletableFuture<NbdConnection> connection;
    final WireCounters counters = new WireCounters();
    private final ByteBuf sent = Unpooled.buffer();

    /** A client option as sent. */
    record Option(int code, ByteBuf data) {
        NbdOption option() { return NbdOption.of(code); }
    }

    /** A client request as sent. */
    record Request(int flags, NbdCommand command, long cookie, long offset, long length, byte[] payload) {}

    ScriptedServer(String uri, ClientOptions options) {
        this(uri, options, Handshake.Goal.CONNECT);
    }

    ScriptedServer(String uri, ClientOptions options, Handshake.Goal goal) {
        handshake = new Handshake(NbdUri.parse(uri), options, counters, goal);
        handshake.install(ch.pipeline());
        connection = handshake.connection(ch);
    }

    void feed(ByteBuf b) {
        ch.writeInbound(b);
        ch.runPendingTasks();
    }

    private void drain() {
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            sent.writeBytes(b);
            b.release();
        }
    }

    /** Bytes the client sent that have not been read yet. */
    int pending() {
        drain();
        return sent.readableBytes();
    }

    int clientFlags() {
        drain();
        return sent.readInt();
    }

    Option option() {
        drain();
        assertThat(sent.readableBytes()).as("client option header").isGreaterThanOrEqualTo(16);
        assertThat(sent.readLong()).isEqualTo(NbdMagic.IHAVEOPT);
        int code = sent.readInt();
        int length = sent.readInt();
        return new Option(code, sent.readRetainedSlice(length));
    }

    Option expectOption(NbdOption o) {
        Option got = option();
        assertThat(got.option()).isEqualTo(o);
        return got;
    }

    Request request(boolean extended) {
        drain();
        int magic = sent.readInt();
        assertThat(magic).isEqualTo(extended ? NbdMagic.EXTENDED_REQUEST : NbdMagic.REQUEST);
        int flags = sent.readUnsignedShort();
        NbdCommand c = NbdCommand.of(sent.readUnsignedShort());
        long cookie = sent.readLong();
        long offset = sent.readLong();
        long length = extended ? sent.readLong() : sent.readUnsignedInt();
        byte[] payload = null;
        if (c == NbdCommand.WRITE) {
            payload = new byte[(int) length];
            sent.readBytes(payload);
        }
        return new Request(flags, c, cookie, offset, length, payload);
    }

    void advance(long seconds) {
        ch.advanceTimeBy(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        ch.runPendingTasks();
    }

    static String string(ByteBuf b) {
        int n = b.readInt();
        return b.readCharSequence(n, StandardCharsets.UTF_8).toString();
    }

    /** Plays greeting → (EXTENDED_HEADERS or STRUCTURED_REPLY) → SET_META_CONTEXT → GO as a modern server. */
    NbdConnection negotiate(HeaderMode mode, long size, int transmissionFlags, ByteBuf... extraGoInfo) {
        feed(Wire.greeting(Wire.FIXED));
        clientFlags();
        expectOption(NbdOption.EXTENDED_HEADERS);
        if (mode == HeaderMode.EXTENDED) {
            feed(Wire.ack(NbdOption.EXTENDED_HEADERS));
        } else {
            feed(Wire.error(NbdOption.EXTENDED_HEADERS, org.nbdscope.engine.proto.NbdOptionReply.ERR_UNSUP, ""));
            expectOption(NbdOption.STRUCTURED_REPLY);
            feed(Wire.ack(NbdOption.STRUCTURED_REPLY));
        }
        expectOption(NbdOption.SET_META_CONTEXT);
        feed(Wire.metaContext(NbdOption.SET_META_CONTEXT, 1, "base:allocation"));
        feed(Wire.ack(NbdOption.SET_META_CONTEXT));
        expectOption(NbdOption.GO);
        feed(Wire.infoExport(size, transmissionFlags));
        for (ByteBuf b : extraGoInfo) feed(b);
        feed(Wire.ack(NbdOption.GO));
        assertThat(connection).isCompleted();
        return connection.join();
    }
}
