package org.nbdscope.engine.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdError;
import org.nbdscope.engine.proto.NbdMagic;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.NbdOptionReply;

/**
 * Clients that break the rules never crash or stall the server: after each one, a well-behaved client
 * connects and reads.
 */
class HostileClientTest {
    private NbdServer server;

    @BeforeEach
    void start() throws Exception {
        server = NbdServer.builder().export("x", new MemoryBackend(1L << 30), "", false)
            .options(ServerOptions.defaults().withMaxConnections(8).withHandshakeTimeout(Duration.ofMillis(800))
                .withIdleTimeout(Duration.ofSeconds(2)))
            .start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void stillServes() throws Exception {
        try (RawClient c = RawClient.open(server, HeaderMode.STRUCTURED, "x")) {
            assertThat(c.write(0, new byte[] {1, 2}).ok()).isTrue();
            assertThat(c.read(0, 2).data()).containsExactly(1, 2);
        }
    }

    private String lastCloseReason() {
        List<ConnectionRecord> all = server.connections();
        for (int i = all.size() - 1; i >= 0; i--) if (all.get(i).closeReason() != null) return all.get(i).closeReason();
        return null;
    }

    @Test
    void unknownClientFlags() throws Exception {
        try (RawClient c = RawClient.connectRaw(server)) {
            c.greeting();
            c.clientFlags(0x80);
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(lastCloseReason()).contains("unknown bits");
        stillServes();
    }

    @Test
    void badOptionMagic() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            c.raw(ByteBuffer.allocate(16).putLong(0x1122334455667788L).putInt(7).putInt(0).array());
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(lastCloseReason()).contains("bad option magic");
        stillServes();
    }

    @Test
    void oversizeOptionIsRefusedWithoutReadingIt() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            c.raw(ByteBuffer.allocate(16).putLong(NbdMagic.IHAVEOPT).putInt(NbdOption.GO.code()).putInt(0x7FFFFFFF).array());
            RawClient.OptReply r = c.optionReply();
            assertThat(r.type()).isEqualTo(NbdOptionReply.ERR_TOO_BIG.code());
            assertThat(r.text()).contains("2147483647 bytes");
            assertThat(c.closedByServer()).isTrue();
        }
        stillServes();
    }

    @Test
    void unknownOptionsAndStartTlsWithoutTls() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            for (int opt : new int[] {0, 12, 0x7FFFFFFF, -1}) {
                c.option(opt, new byte[5]);
                RawClient.OptReply r = c.optionReply();
                assertThat(r.type()).isEqualTo(NbdOptionReply.ERR_UNSUP.code());
                assertThat(r.text()).isNotEmpty();
            }
            RawClient.OptReply tls = c.send(NbdOption.STARTTLS, new byte[0]).getLast();
            assertThat(tls.type()).isEqualTo(NbdOptionReply.ERR_UNSUP.code());
            assertThat(tls.text()).contains("--tls-cert");
        }
        stillServes();
    }

    @Test
    void endlessOptionsAreCut() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            for (int i = 0; i < HandshakeHandler.MAX_OPTIONS; i++) c.option(NbdOption.LIST.code(), new byte[0]);
            for (int i = 0; i < HandshakeHandler.MAX_OPTIONS; i++) c.optionReplies();
            c.option(NbdOption.LIST.code(), new byte[0]);
            assertThat(c.optionReply().type()).isEqualTo(NbdOptionReply.ERR_POLICY.code());
            assertThat(c.closedByServer()).isTrue();
        }
        stillServes();
    }

    @Test
    void silentClientIsClosedByTheHandshakeTimeout() throws Exception {
        try (RawClient c = RawClient.connectRaw(server)) {
            c.greeting();
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(lastCloseReason()).contains("handshake not finished");
        stillServes();
    }

    @Test
    void idleTransmissionIsClosedByTheIdleTimeout() throws Exception {
        try (RawClient c = RawClient.open(server, HeaderMode.SIMPLE, "x")) {
            c.raw(new byte[] {0x25, 0x60}); // half a request header, then nothing
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(lastCloseReason()).contains("idle");
        stillServes();
    }

    @Test
    void badRequestMagic() throws Exception {
        for (HeaderMode mode : new HeaderMode[] {HeaderMode.SIMPLE, HeaderMode.EXTENDED}) {
            try (RawClient c = RawClient.open(server, mode, "x")) {
                c.raw(new byte[32]);
                assertThat(c.closedByServer()).isTrue();
            }
            assertThat(lastCloseReason()).contains("bad request magic 0x00000000");
        }
        stillServes();
    }

    @Test
    void oversizeCompactWriteIsDiscardedAndAnsweredWithEoverflow() throws Exception {
        try (RawClient c = RawClient.open(server, HeaderMode.STRUCTURED, "x")) {
            int len = (32 << 20) + 4096;
            RawClient.Result r = c.cmd(NbdCommand.WRITE.code(), 0, 0, len, new byte[len]);
            assertThat(r.error()).isEqualTo(NbdError.EOVERFLOW.code());
            assertThat(r.message()).contains("maximum payload");
            assertThat(c.read(0, 16).ok()).as("the stream stays in step after the discarded payload").isTrue();
        }
        stillServes();
    }

    @Test
    void oversizeExtendedPayloadHangsUp() throws Exception {
        try (RawClient c = RawClient.open(server, HeaderMode.EXTENDED, "x")) {
            c.request(NbdCommand.FLAG_PAYLOAD_LEN, NbdCommand.WRITE.code(), 1, 0, 1L << 40, null);
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(lastCloseReason()).contains("exceeds the maximum payload");
        stillServes();
    }

    @Test
    void payloadOnACommandThatTakesNoneIsConsumedAndRefused() throws Exception {
        try (RawClient c = RawClient.open(server, HeaderMode.EXTENDED, "x")) {
            RawClient.Result r = c.cmd(NbdCommand.BLOCK_STATUS.code(), NbdCommand.FLAG_PAYLOAD_LEN, 0, 12, new byte[12]);
            assertThat(r.error()).isEqualTo(NbdError.EINVAL.code());
            assertThat(r.message()).contains("payload was read and discarded");
            assertThat(c.read(0, 16).ok()).isTrue();
        }
    }

    @Test
    void connectionCapTellsTheClientWhy() throws Exception {
        RawClient[] held = new RawClient[8];
        try {
            for (int i = 0; i < held.length; i++) held[i] = RawClient.open(server, HeaderMode.SIMPLE, "x");
            try (RawClient extra = RawClient.connect(server)) {
                RawClient.OptReply r = extra.send(NbdOption.LIST, new byte[0]).getLast();
                assertThat(r.type()).isEqualTo(NbdOptionReply.ERR_POLICY.code());
                assertThat(r.text()).contains("limit of 8 connections");
                assertThat(extra.closedByServer()).isTrue();
            }
            assertThat(held[0].read(0, 16).ok()).isTrue();
        } finally {
            for (RawClient c : held) if (c != null) c.close();
        }
        for (int i = 0; i < 100 && server.activeConnections() > 0; i++) Thread.sleep(50);
        stillServes();
    }

    @Test
    void aClientThatNeverReadsRepliesStallsOnlyItself() throws Exception {
        try (RawClient greedy = RawClient.open(server, HeaderMode.SIMPLE, "x")) {
            for (int i = 0; i < 2000; i++) greedy.request(0, NbdCommand.READ.code(), i, 0, 1 << 20, null);
            stillServes();
            stillServes();
        }
        stillServes();
    }

    @Test
    void aClientThatStopsMidPayloadStallsOnlyItself() throws Exception {
        try (RawClient slow = RawClient.open(server, HeaderMode.SIMPLE, "x")) {
            slow.request(0, NbdCommand.WRITE.code(), 1, 0, 32 << 20, new byte[100]);
            stillServes();
        }
        stillServes();
    }

    @Test
    void randomGarbageNeverHurtsTheServer() throws Exception {
        Random rnd = new Random(42);
        for (int round = 0; round < 20; round++) {
            byte[] junk = new byte[1 + rnd.nextInt(300)];
            rnd.nextBytes(junk);
            try (RawClient c = round % 2 == 0 ? RawClient.connect(server) : RawClient.open(server, HeaderMode.values()[round % 3], "x")) {
                if (round % 4 == 1) {
                    // a valid header first, so the junk lands in the payload and the next header
                    c.request(0, NbdCommand.WRITE.code(), 9, 0, 16, new byte[16]);
                }
                c.raw(junk);
            }
        }
        stillServes();
    }
}
