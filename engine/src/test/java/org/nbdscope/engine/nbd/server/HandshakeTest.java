package org.nbdscope.engine.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nbdscope.engine.nbd.server.backend.DemoBackend;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.proto.HandshakeFlags;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdInfo;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.NbdOptionReply;
import org.nbdscope.engine.proto.TransmissionFlags;

class HandshakeTest {
    private NbdServer server;

    private NbdServer start(ServerOptions options) throws Exception {
        server = NbdServer.builder()
            .export("disk", new MemoryBackend(1L << 30), "a scratch disk", false)
            .export("demo", new DemoBackend(), "the demo", false)
            .options(options)
            .start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    @Test
    void greetingIsFixedNewstyleWithNoZeroes() throws Exception {
        start(ServerOptions.defaults());
        try (RawClient c = RawClient.connectRaw(server)) {
            assertThat(c.greeting()).isEqualTo(HandshakeFlags.FIXED_NEWSTYLE | HandshakeFlags.NO_ZEROES);
        }
    }

    @Test
    void listNamesEveryExportWithItsDescription() throws Exception {
        start(ServerOptions.defaults());
        try (RawClient c = RawClient.connect(server)) {
            List<RawClient.OptReply> r = c.send(NbdOption.LIST, new byte[0]);
            assertThat(r).hasSize(3);
            assertThat(r.getLast().type()).isEqualTo(NbdOptionReply.ACK.code());
            ByteBuffer b = r.get(0).buffer();
            byte[] name = new byte[b.getInt()];
            b.get(name);
            byte[] rest = new byte[b.remaining()];
            b.get(rest);
            assertThat(new String(name, StandardCharsets.UTF_8)).isEqualTo("disk");
            assertThat(new String(rest, StandardCharsets.UTF_8)).isEqualTo("a scratch disk");
            List<RawClient.OptReply> bad = c.send(NbdOption.LIST, new byte[] {1});
            assertThat(bad.getLast().type()).isEqualTo(NbdOptionReply.ERR_INVALID.code());
            assertThat(bad.getLast().text()).contains("takes no data");
        }
    }

    @Test
    void infoAnswersEveryRequestedItem() throws Exception {
        start(ServerOptions.defaults());
        try (RawClient c = RawClient.connect(server)) {
            List<RawClient.OptReply> r = c.send(NbdOption.INFO, RawClient.infoData("",
                NbdInfo.NAME.code(), NbdInfo.DESCRIPTION.code(), NbdInfo.BLOCK_SIZE.code(), NbdInfo.INIT_STATE.code()));
            assertThat(r.getLast().type()).isEqualTo(NbdOptionReply.ACK.code());
            assertThat(r.subList(0, r.size() - 1)).extracting(RawClient.OptReply::infoType).containsExactly(0, 1, 2, 3, 4);
            ByteBuffer export = r.get(0).buffer();
            export.getShort();
            assertThat(export.getLong()).isEqualTo(1L << 30);
            int flags = export.getShort() & 0xFFFF;
            assertThat(flags & TransmissionFlags.READ_ONLY).isZero();
            assertThat(flags & TransmissionFlags.SEND_FAST_ZERO).isNotZero();
            assertThat(flags & TransmissionFlags.SEND_DF).as("no DF without structured replies").isZero();
            assertThat(new String(r.get(1).data(), 2, r.get(1).data().length - 2, StandardCharsets.UTF_8)).isEqualTo("disk");
            ByteBuffer bs = r.get(3).buffer();
            bs.getShort();
            assertThat(List.of(bs.getInt(), bs.getInt(), bs.getInt())).containsExactly(1, 4096, 32 << 20);
            assertThat(r.get(4).data()).hasSize(4);
            // INFO does not end the handshake: GO still works afterwards
            assertThat(c.go("demo").getLast().type()).isEqualTo(NbdOptionReply.ACK.code());
            assertThat(c.transmissionFlags & TransmissionFlags.READ_ONLY).isNotZero();
        }
    }

    @Test
    void unknownExportAndUnknownOptionGetErrorsWithMessages() throws Exception {
        start(ServerOptions.defaults());
        try (RawClient c = RawClient.connect(server)) {
            RawClient.OptReply unknown = c.go("nope").getLast();
            assertThat(unknown.type()).isEqualTo(NbdOptionReply.ERR_UNKNOWN.code());
            assertThat(unknown.text()).contains("no export named 'nope'").contains("'disk', 'demo'");
            c.option(99, new byte[] {1, 2, 3});
            RawClient.OptReply unsup = c.optionReply();
            assertThat(unsup.option()).isEqualTo(99);
            assertThat(unsup.type()).isEqualTo(NbdOptionReply.ERR_UNSUP.code());
            assertThat(unsup.text()).contains("not supported");
            RawClient.OptReply peek = c.send(NbdOption.PEEK_EXPORT, new byte[0]).getLast();
            assertThat(peek.type()).isEqualTo(NbdOptionReply.ERR_UNSUP.code());
            assertThat(c.go("disk").getLast().type()).isEqualTo(NbdOptionReply.ACK.code());
        }
    }

    @Test
    void extendedHeadersTakePrecedenceOverStructuredReplies() throws Exception {
        start(ServerOptions.defaults());
        try (RawClient c = RawClient.connect(server)) {
            assertThat(c.extendedHeaders()).isTrue();
            RawClient.OptReply sr = c.send(NbdOption.STRUCTURED_REPLY, new byte[0]).getLast();
            assertThat(sr.type()).isEqualTo(NbdOptionReply.ERR_EXT_HEADER_REQD.code());
            assertThat(sr.text()).contains("precedence");
            RawClient.OptReply withData = c.send(NbdOption.EXTENDED_HEADERS, new byte[] {0}).getLast();
            assertThat(withData.type()).isEqualTo(NbdOptionReply.ERR_INVALID.code());
            c.go("disk");
            assertThat(c.mode).isEqualTo(HeaderMode.EXTENDED);
        }
        assertThat(server.connections().getFirst().headerMode()).isEqualTo(HeaderMode.EXTENDED);
    }

    @Test
    void switchedOffFeaturesAnswerUnsupWithTheSwitchNamed() throws Exception {
        start(ServerOptions.defaults().withExtendedHeaders(false).withStructuredReplies(false).withFastZero(false));
        try (RawClient c = RawClient.connect(server)) {
            RawClient.OptReply eh = c.send(NbdOption.EXTENDED_HEADERS, new byte[0]).getLast();
            assertThat(eh.type()).isEqualTo(NbdOptionReply.ERR_UNSUP.code());
            assertThat(eh.text()).contains("--no-extended-headers");
            RawClient.OptReply sr = c.send(NbdOption.STRUCTURED_REPLY, new byte[0]).getLast();
            assertThat(sr.type()).isEqualTo(NbdOptionReply.ERR_UNSUP.code());
            assertThat(sr.text()).contains("--no-structured-replies");
            RawClient.OptReply meta = c.setMeta("disk", "base:allocation").getLast();
            assertThat(meta.type()).isEqualTo(NbdOptionReply.ERR_INVALID.code());
            assertThat(meta.text()).contains("NBD_OPT_STRUCTURED_REPLY");
            c.go("disk");
            assertThat(c.mode).isEqualTo(HeaderMode.SIMPLE);
            assertThat(c.transmissionFlags & TransmissionFlags.SEND_FAST_ZERO).isZero();
            assertThat(c.transmissionFlags & TransmissionFlags.SEND_WRITE_ZEROES).isNotZero();
        }
    }

    @Test
    void metaContextsListAndSelectBaseAllocation() throws Exception {
        start(ServerOptions.defaults());
        try (RawClient c = RawClient.connect(server)) {
            c.structuredReplies();
            List<RawClient.OptReply> all = c.send(NbdOption.LIST_META_CONTEXT, RawClient.metaData("disk"));
            assertThat(all).hasSize(2);
            assertThat(new String(all.get(0).data(), 4, all.get(0).data().length - 4, StandardCharsets.UTF_8)).isEqualTo("base:allocation");
            assertThat(c.send(NbdOption.LIST_META_CONTEXT, RawClient.metaData("disk", "base:"))).hasSize(2);
            assertThat(c.send(NbdOption.LIST_META_CONTEXT, RawClient.metaData("disk", "qemu:dirty-bitmap:x"))).hasSize(1);
            List<RawClient.OptReply> set = c.setMeta("disk", "qemu:allocation-depth", "base:allocation");
            assertThat(set).hasSize(2);
            assertThat(set.get(0).type()).isEqualTo(NbdOptionReply.META_CONTEXT.code());
            assertThat(set.get(0).buffer().getInt()).isEqualTo(ServerContext.BASE_ALLOCATION_ID);
            RawClient.OptReply unknown = c.setMeta("nope", "base:allocation").getLast();
            assertThat(unknown.type()).isEqualTo(NbdOptionReply.ERR_UNKNOWN.code());
            c.setMeta("disk", "base:allocation");
            c.go("disk");
        }
        assertThat(server.connections().getFirst().metaContexts()).containsExactly("base:allocation");
    }

    @Test
    void metaContextForAnotherExportIsNotCarriedIntoTransmission() throws Exception {
        start(ServerOptions.defaults());
        try (RawClient c = RawClient.connect(server)) {
            c.structuredReplies();
            c.setMeta("demo", "base:allocation");
            c.go("disk");
            RawClient.Result r = c.blockStatus(0, 4096, 0);
            assertThat(r.error()).isEqualTo(22);
            assertThat(r.message()).contains("NBD_OPT_SET_META_CONTEXT");
        }
    }

    @Test
    void exportNameWithAndWithoutZeroPadding() throws Exception {
        start(ServerOptions.defaults());
        try (RawClient c = RawClient.connectRaw(server)) {
            c.greeting();
            c.clientFlags(HandshakeFlags.C_FIXED_NEWSTYLE);
            c.option(NbdOption.EXPORT_NAME.code(), "disk".getBytes(StandardCharsets.UTF_8));
            byte[] reply = c.readRaw(8 + 2 + 124);
            ByteBuffer b = ByteBuffer.wrap(reply);
            assertThat(b.getLong()).isEqualTo(1L << 30);
            for (int i = 10; i < reply.length; i++) assertThat(reply[i]).isZero();
            assertThat(c.cmd(NbdCommand.FLUSH.code(), 0, 0, 0, null).ok()).isTrue();
        }
        try (RawClient c = RawClient.connect(server)) {
            c.option(NbdOption.EXPORT_NAME.code(), "demo".getBytes(StandardCharsets.UTF_8));
            ByteBuffer b = ByteBuffer.wrap(c.readRaw(10));
            assertThat(b.getLong()).isEqualTo(1L << 40);
            assertThat(b.getShort() & TransmissionFlags.READ_ONLY).isNotZero();
            assertThat(c.read(0, 512).data()[510]).isEqualTo((byte) 0x55);
        }
        assertThat(server.connections()).extracting(ConnectionRecord::enteredBy).containsOnly("NBD_OPT_EXPORT_NAME");
    }

    @Test
    void exportNameAfterExtendedHeadersIsRefusedByHangingUp() throws Exception {
        start(ServerOptions.defaults());
        try (RawClient c = RawClient.connect(server)) {
            c.extendedHeaders();
            c.option(NbdOption.EXPORT_NAME.code(), "disk".getBytes(StandardCharsets.UTF_8));
            assertThat(c.closedByServer()).isTrue();
        }
        assertThat(server.connections().getFirst().closeReason()).contains("EXPORT_NAME after NBD_OPT_EXTENDED_HEADERS");
    }

    @Test
    void abortIsAcknowledgedAndTheConnectionClosed() throws Exception {
        start(ServerOptions.defaults());
        try (RawClient c = RawClient.connect(server)) {
            assertThat(c.send(NbdOption.ABORT, new byte[0]).getLast().type()).isEqualTo(NbdOptionReply.ACK.code());
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void goWithMalformedDataIsInvalidWithAMessage() throws Exception {
        start(ServerOptions.defaults());
        try (RawClient c = RawClient.connect(server)) {
            RawClient.OptReply shortData = c.send(NbdOption.GO, new byte[] {0, 0}).getLast();
            assertThat(shortData.type()).isEqualTo(NbdOptionReply.ERR_INVALID.code());
            assertThat(shortData.text()).contains("too short");
            ByteBuffer b = ByteBuffer.allocate(10).putInt(1000).putShort((short) 0).putInt(0);
            RawClient.OptReply nameTooLong = c.send(NbdOption.GO, b.array()).getLast();
            assertThat(nameTooLong.type()).isEqualTo(NbdOptionReply.ERR_INVALID.code());
            assertThat(nameTooLong.text()).contains("runs past");
            ByteBuffer badCount = ByteBuffer.allocate(8).putInt(0).putShort((short) 5).putShort((short) 1);
            RawClient.OptReply count = c.send(NbdOption.GO, badCount.array()).getLast();
            assertThat(count.text()).contains("5 information requests need 10 bytes");
            ByteBuffer meta = ByteBuffer.allocate(12).putInt(0).putInt(1000).putInt(0);
            c.structuredReplies();
            RawClient.OptReply q = c.send(NbdOption.SET_META_CONTEXT, meta.array()).getLast();
            assertThat(q.type()).isEqualTo(NbdOptionReply.ERR_INVALID.code());
            assertThat(q.text()).contains("1000 queries cannot fit");
            assertThat(c.go("disk").getLast().type()).isEqualTo(NbdOptionReply.ACK.code());
        }
    }
}
