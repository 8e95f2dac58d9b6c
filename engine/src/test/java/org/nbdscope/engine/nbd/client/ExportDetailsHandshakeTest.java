package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nbdscope.engine.nbd.client.NbdHandshakeTest.failure;
import static org.nbdscope.engine.nbd.client.Wire.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.nbdscope.engine.proto.NbdInfo;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.NbdOptionReply;
import org.nbdscope.engine.proto.TransmissionFlags;

/** The listing with details ({@link Handshake.Goal#DETAILS}): LIST, then INFO and contexts per export, then ABORT; never GO. */
class ExportDetailsHandshakeTest {
    static final int FLAGS = TransmissionFlags.HAS_FLAGS | TransmissionFlags.READ_ONLY | TransmissionFlags.SEND_FLUSH;

    static ByteBuf info(ByteBuf payload) { return optionReply(NbdOption.INFO, NbdOptionReply.INFO.code(), payload); }

    static ByteBuf infoExport(long size, int flags) { return info(buf().writeShort(NbdInfo.EXPORT.code()).writeLong(size).writeShort(flags)); }

    static ByteBuf infoText(NbdInfo type, String s) { return info(buf().writeShort(type.code()).writeBytes(s.getBytes(StandardCharsets.UTF_8))); }

    /** Greeting and header negotiation up to the LIST option, as a server with structured replies only. */
    static ScriptedServer listing(boolean structured) {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/ignored", ClientOptions.defaults(), Handshake.Goal.DETAILS);
        s.feed(greeting(FIXED));
        s.clientFlags();
        s.expectOption(NbdOption.EXTENDED_HEADERS);
        s.feed(error(NbdOption.EXTENDED_HEADERS, NbdOptionReply.ERR_UNSUP, ""));
        s.expectOption(NbdOption.STRUCTURED_REPLY);
        s.feed(structured ? ack(NbdOption.STRUCTURED_REPLY) : error(NbdOption.STRUCTURED_REPLY, NbdOptionReply.ERR_UNSUP, ""));
        s.expectOption(NbdOption.LIST);
        return s;
    }

    /** Reads an INFO option: the export name and the information requests. */
    static String expectInfo(ScriptedServer s, List<Integer> requests) {
        ByteBuf d = s.expectOption(NbdOption.INFO).data();
        String name = ScriptedServer.string(d);
        int n = d.readUnsignedShort();
        for (int i = 0; i < n; i++) requests.add(d.readUnsignedShort());
        assertThat(d.readableBytes()).isZero();
        return name;
    }

    @Test
    void infoAndContextsForEachExportThenAbortWithoutEnteringTransmission() {
        ScriptedServer s = listing(true);
        s.feed(concat(server("disk1", "first disk"), server("disk2", ""), server("disk3", ""), ack(NbdOption.LIST)));

        List<Integer> requests = new ArrayList<>();
        assertThat(expectInfo(s, requests)).isEqualTo("disk1");
        assertThat(requests).containsExactly(NbdInfo.EXPORT.code(), NbdInfo.NAME.code(), NbdInfo.DESCRIPTION.code(),
            NbdInfo.BLOCK_SIZE.code(), NbdInfo.INIT_STATE.code());
        s.feed(concat(infoExport(1L << 30, FLAGS), infoText(NbdInfo.NAME, "disk1-canonical"),
            infoText(NbdInfo.DESCRIPTION, "ignored: LIST gave one"),
            info(buf().writeShort(NbdInfo.BLOCK_SIZE.code()).writeInt(512).writeInt(4096).writeInt(1 << 25)),
            info(buf().writeShort(NbdInfo.INIT_STATE.code()).writeShort(NbdInfo.INIT_ZERO)),
            info(buf().writeShort(77).writeInt(5)), ack(NbdOption.INFO)));
        ByteBuf q = s.expectOption(NbdOption.LIST_META_CONTEXT).data();
        assertThat(ScriptedServer.string(q)).isEqualTo("disk1");
        assertThat(q.readInt()).as("no queries: every context").isZero();
        s.feed(concat(metaContext(NbdOption.LIST_META_CONTEXT, 0, "base:allocation"),
            metaContext(NbdOption.LIST_META_CONTEXT, 0, "qemu:allocation-depth"), ack(NbdOption.LIST_META_CONTEXT)));

        assertThat(expectInfo(s, new ArrayList<>())).isEqualTo("disk2");
        s.feed(concat(infoExport(0, TransmissionFlags.HAS_FLAGS), infoText(NbdInfo.DESCRIPTION, "second, from INFO"), ack(NbdOption.INFO)));
        s.expectOption(NbdOption.LIST_META_CONTEXT);
        s.feed(error(NbdOption.LIST_META_CONTEXT, NbdOptionReply.ERR_INVALID, "no contexts for you"));

        assertThat(expectInfo(s, new ArrayList<>())).isEqualTo("disk3");
        s.feed(error(NbdOption.INFO, NbdOptionReply.ERR_POLICY, "not for you"));

        s.expectOption(NbdOption.ABORT);
        assertThat(s.pending()).isZero();
        assertThat(s.ch.isOpen()).isFalse();

        ExportListing l = s.handshake.listing.join();
        assertThat(l.protocol()).isEqualTo("newstyle-fixed");
        assertThat(l.headerMode()).isEqualTo(HeaderMode.STRUCTURED);
        assertThat(l.allOk()).isFalse();
        assertThat(l.exports()).hasSize(3);
        ExportDetails d1 = l.exports().get(0);
        assertThat(d1.ok()).isTrue();
        assertThat(d1.name()).isEqualTo("disk1");
        assertThat(d1.displayName()).isEqualTo("disk1-canonical");
        assertThat(d1.description()).isEqualTo("first disk");
        assertThat(d1.size()).isEqualTo(1L << 30);
        assertThat(d1.sizeNote()).isNull();
        assertThat(d1.readOnly()).isTrue();
        assertThat(d1.has(TransmissionFlags.SEND_FLUSH)).isTrue();
        assertThat(d1.minimumBlockSize()).isEqualTo(512);
        assertThat(d1.preferredBlockSize()).isEqualTo(4096);
        assertThat(d1.maximumPayload()).isEqualTo(1 << 25);
        assertThat(d1.initState()).isEqualTo(NbdInfo.INIT_ZERO);
        assertThat(d1.contextsListed()).isTrue();
        assertThat(d1.contexts()).containsExactly("base:allocation", "qemu:allocation-depth");

        ExportDetails d2 = l.exports().get(1);
        assertThat(d2.description()).isEqualTo("second, from INFO");
        assertThat(d2.size()).as("the handshake reports INFO's 0 as it is; NbdClient confirms it").isZero();
        assertThat(d2.blockSizeSent()).isFalse();
        assertThat(d2.initState()).isNull();
        assertThat(d2.contextsListed()).isFalse();

        ExportDetails d3 = l.exports().get(2);
        assertThat(d3.ok()).isFalse();
        assertThat(d3.error()).contains("export 'disk3'").contains("NBD_OPT_INFO").contains("NBD_REP_ERR_POLICY").contains("not for you");
        // the handshake ended with the listing: nothing else completes
        assertThat(s.connection).isNotDone();
    }

    @Test
    void simpleRepliesSkipTheContexts() {
        ScriptedServer s = listing(false);
        s.feed(concat(server("only", ""), ack(NbdOption.LIST)));
        expectInfo(s, new ArrayList<>());
        s.feed(concat(infoExport(4096, TransmissionFlags.HAS_FLAGS), ack(NbdOption.INFO)));
        s.expectOption(NbdOption.ABORT);
        ExportListing l = s.handshake.listing.join();
        assertThat(l.headerMode()).isEqualTo(HeaderMode.SIMPLE);
        assertThat(l.exports()).singleElement().satisfies(d -> {
            assertThat(d.size()).isEqualTo(4096);
            assertThat(d.contextsListed()).isFalse();
        });
    }

    @Test
    void aServerWithoutInfoLeavesEveryExportToGo() {
        ScriptedServer s = listing(true);
        s.feed(concat(server("a", ""), server("b", ""), ack(NbdOption.LIST)));
        expectInfo(s, new ArrayList<>());
        s.feed(error(NbdOption.INFO, NbdOptionReply.ERR_UNSUP, ""));
        s.expectOption(NbdOption.ABORT);
        assertThat(s.handshake.listing.join().exports()).extracting(ExportDetails::error)
            .containsExactly(NbdClient.INFO_UNSUPPORTED, NbdClient.INFO_UNSUPPORTED);
    }

    @Test
    void anEmptyListingAbortsAtOnce() {
        ScriptedServer s = listing(true);
        s.feed(ack(NbdOption.LIST));
        s.expectOption(NbdOption.ABORT);
        assertThat(s.handshake.listing.join().exports()).isEmpty();
    }

    @Test
    void infoAcceptedWithoutExportInfoIsAProtocolError() {
        ScriptedServer s = listing(true);
        s.feed(concat(server("a", ""), ack(NbdOption.LIST)));
        expectInfo(s, new ArrayList<>());
        s.feed(concat(infoText(NbdInfo.NAME, "a"), ack(NbdOption.INFO)));
        assertThat(failure(s.handshake.listing)).hasMessage("the server accepted NBD_OPT_INFO for 'a' without sending NBD_INFO_EXPORT");
        assertThat(s.ch.isOpen()).isFalse();
    }

    @Test
    void anInfoReplyForAnotherOptionClosesNamingBoth() {
        ScriptedServer s = listing(true);
        s.feed(concat(server("a", ""), ack(NbdOption.LIST)));
        expectInfo(s, new ArrayList<>());
        s.feed(Wire.infoExport(1, 1));   // an NBD_REP_INFO that names NBD_OPT_GO
        assertThat(failure(s.handshake.listing)).hasMessageContaining("NBD_OPT_GO").hasMessageContaining("NBD_OPT_INFO");
    }

    @Test
    void oneByteAtATime() {
        ScriptedServer s = listing(true);
        ByteBuf all = concat(server("x", "desc"), ack(NbdOption.LIST));
        while (all.isReadable()) s.feed(all.readRetainedSlice(1));
        expectInfo(s, new ArrayList<>());
        all = concat(infoExport(123 * 512, FLAGS), infoText(NbdInfo.NAME, "x"), ack(NbdOption.INFO));
        while (all.isReadable()) s.feed(all.readRetainedSlice(1));
        s.expectOption(NbdOption.LIST_META_CONTEXT);
        all = concat(metaContext(NbdOption.LIST_META_CONTEXT, 0, "base:allocation"), ack(NbdOption.LIST_META_CONTEXT));
        while (all.isReadable()) s.feed(all.readRetainedSlice(1));
        s.expectOption(NbdOption.ABORT);
        ExportDetails d = s.handshake.listing.join().exports().getFirst();
        assertThat(d.size()).isEqualTo(123 * 512);
        assertThat(d.description()).isEqualTo("desc");
        assertThat(d.contexts()).containsExactly("base:allocation");
    }
}
