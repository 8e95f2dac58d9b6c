package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nbdscope.engine.nbd.client.Wire.*;

import java.util.List;
import java.util.concurrent.CompletionException;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.nbdscope.engine.proto.HandshakeFlags;
import org.nbdscope.engine.proto.NbdInfo;
import org.nbdscope.engine.proto.NbdMagic;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.NbdOptionReply;
import org.nbdscope.engine.proto.TransmissionFlags;
import org.nbdscope.engine.source.SourceException;

/** The handshake state machine against a server played by the test. */
class NbdHandshakeTest {
    static final int FLAGS = TransmissionFlags.HAS_FLAGS | TransmissionFlags.SEND_FLUSH | TransmissionFlags.SEND_WRITE_ZEROES;

    static Throwable failure(java.util.concurrent.CompletableFuture<?> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.join();
            throw new AssertionError("not failed");
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    @Test
    void extendedHeadersWithEverythingTheServerCanSay() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/disk", ClientOptions.defaults());
        s.feed(greeting(FIXED));
        assertThat(s.clientFlags()).isEqualTo(HandshakeFlags.C_FIXED_NEWSTYLE | HandshakeFlags.C_NO_ZEROES);
        s.expectOption(NbdOption.EXTENDED_HEADERS);
        s.feed(ack(NbdOption.EXTENDED_HEADERS));
        ScriptedServer.Option set = s.expectOption(NbdOption.SET_META_CONTEXT);
        assertThat(ScriptedServer.string(set.data())).isEqualTo("disk");
        assertThat(set.data().readInt()).isEqualTo(1);
        assertThat(ScriptedServer.string(set.data())).isEqualTo("base:allocation");
        s.feed(metaContext(NbdOption.SET_META_CONTEXT, 7, "base:allocation"));
        s.feed(ack(NbdOption.SET_META_CONTEXT));
        ScriptedServer.Option go = s.expectOption(NbdOption.GO);
        assertThat(ScriptedServer.string(go.data())).isEqualTo("disk");
        int n = go.data().readUnsignedShort();
        int[] infos = new int[n];
        for (int i = 0; i < n; i++) infos[i] = go.data().readUnsignedShort();
        assertThat(infos).containsExactly(0, 1, 2, 3, 4);
        s.feed(concat(infoExport(1L << 40, FLAGS), infoBlockSize(512, 4096, 32 << 20), infoInitState(NbdInfo.INIT_ZERO),
            infoString(NbdInfo.NAME, "disk-canonical"), infoString(NbdInfo.DESCRIPTION, "scratch"), ack(NbdOption.GO)));
        Negotiated neg = s.connection.join().negotiated();
        assertThat(neg).isEqualTo(new Negotiated("disk-canonical", "scratch", 1L << 40, FLAGS, HeaderMode.EXTENDED, false,
            512, 4096, 32 << 20, java.util.Map.of("base:allocation", 7), List.of(), NbdInfo.INIT_ZERO, NbdOption.GO, FIXED));
        assertThat(neg.initZero()).isTrue();
        assertThat(neg.initSparse()).isFalse();
        assertThat(s.counters.snapshot().roundTrips()).isEqualTo(3);
        assertThat(s.ch.pipeline().names()).contains("wire", "requests", "replies", "dispatch").doesNotContain("handshake", "options");
    }

    @Test
    void fallsBackFromExtendedToStructuredToSimpleAndFromGoToExportName() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/old", ClientOptions.defaults());
        s.feed(greeting(HandshakeFlags.FIXED_NEWSTYLE));
        assertThat(s.clientFlags()).isEqualTo(HandshakeFlags.C_FIXED_NEWSTYLE);
        s.expectOption(NbdOption.EXTENDED_HEADERS);
        s.feed(error(NbdOption.EXTENDED_HEADERS, NbdOptionReply.ERR_UNSUP, ""));
        s.expectOption(NbdOption.STRUCTURED_REPLY);
        s.feed(error(NbdOption.STRUCTURED_REPLY, NbdOptionReply.ERR_UNSUP, ""));
        // simple replies: no meta contexts to ask for
        s.expectOption(NbdOption.GO);
        s.feed(error(NbdOption.GO, NbdOptionReply.ERR_UNSUP, ""));
        ScriptedServer.Option name = s.expectOption(NbdOption.EXPORT_NAME);
        assertThat(name.data().toString(java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("old");
        s.feed(buf().writeLong(1 << 20).writeShort(TransmissionFlags.HAS_FLAGS | TransmissionFlags.READ_ONLY).writeZero(124));
        NbdConnection c = s.connection.join();
        Negotiated n = c.negotiated();
        assertThat(n.headerMode()).isEqualTo(HeaderMode.SIMPLE);
        assertThat(n.finalOption()).isEqualTo(NbdOption.EXPORT_NAME);
        assertThat(n.metaContexts()).isEmpty();
        assertThat(n.initState()).isNull();
        assertThat(n.blockSizeSent()).isFalse();
        assertThat(n.size()).isEqualTo(1 << 20);
        assertThat(c.readOnly()).isTrue();
        assertThat(failure(c.blockStatus("base:allocation", 0, 4096, false)))
            .isInstanceOf(SourceException.class).hasMessageContaining("offers no base:allocation meta context")
            .hasMessageContaining("neither structured replies nor extended headers");
    }

    @Test
    void structuredWithoutMetaContexts() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/", ClientOptions.defaults());
        s.feed(greeting(FIXED));
        s.clientFlags();
        s.expectOption(NbdOption.EXTENDED_HEADERS);
        s.feed(error(NbdOption.EXTENDED_HEADERS, NbdOptionReply.ERR_INVALID, "what?"));
        s.expectOption(NbdOption.STRUCTURED_REPLY);
        s.feed(ack(NbdOption.STRUCTURED_REPLY));
        s.expectOption(NbdOption.SET_META_CONTEXT);
        s.feed(error(NbdOption.SET_META_CONTEXT, NbdOptionReply.ERR_UNSUP, ""));
        s.expectOption(NbdOption.GO);
        s.feed(concat(infoExport(4096, 1), ack(NbdOption.GO)));
        NbdConnection c = s.connection.join();
        assertThat(c.negotiated().headerMode()).isEqualTo(HeaderMode.STRUCTURED);
        assertThat(c.contexts()).isEmpty();
        assertThat(failure(c.blockStatus("base:allocation", 0, 4096, false))).hasMessageContaining("selected no meta context");
    }

    @Test
    void listContextsThenSelect() {
        ClientOptions o = ClientOptions.defaults().withListContexts(true)
            .withMetaContexts(List.of("base:allocation", "qemu:allocation-depth"));
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/", o);
        s.feed(greeting(FIXED));
        s.clientFlags();
        s.expectOption(NbdOption.EXTENDED_HEADERS);
        s.feed(ack(NbdOption.EXTENDED_HEADERS));
        ScriptedServer.Option list = s.expectOption(NbdOption.LIST_META_CONTEXT);
        ScriptedServer.string(list.data());
        assertThat(list.data().readInt()).as("zero queries: everything").isZero();
        s.feed(concat(metaContext(NbdOption.LIST_META_CONTEXT, 0, "base:allocation"),
            metaContext(NbdOption.LIST_META_CONTEXT, 0, "qemu:allocation-depth"),
            metaContext(NbdOption.LIST_META_CONTEXT, 0, "qemu:dirty-bitmap:b0"), ack(NbdOption.LIST_META_CONTEXT)));
        s.expectOption(NbdOption.SET_META_CONTEXT);
        s.feed(concat(metaContext(NbdOption.SET_META_CONTEXT, 2, "qemu:allocation-depth"),
            metaContext(NbdOption.SET_META_CONTEXT, 1, "base:allocation"), ack(NbdOption.SET_META_CONTEXT)));
        s.expectOption(NbdOption.GO);
        s.feed(concat(infoExport(4096, 1), ack(NbdOption.GO)));
        NbdConnection c = s.connection.join();
        assertThat(c.negotiated().availableContexts()).containsExactly("base:allocation", "qemu:allocation-depth", "qemu:dirty-bitmap:b0");
        assertThat(c.contexts()).containsExactly("base:allocation", "qemu:allocation-depth");
        assertThat(c.details().get("Meta contexts")).isEqualTo("qemu:allocation-depth (id 2), base:allocation (id 1)");
    }

    @Test
    void exportNameWhenAskedAndStructuredWithoutExtended() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/x", ClientOptions.defaults().withUseGo(false));
        s.feed(greeting(FIXED));
        s.clientFlags();
        // extended headers forbid EXPORT_NAME, so the client does not ask for them
        s.expectOption(NbdOption.STRUCTURED_REPLY);
        s.feed(ack(NbdOption.STRUCTURED_REPLY));
        s.expectOption(NbdOption.SET_META_CONTEXT);
        s.feed(concat(metaContext(NbdOption.SET_META_CONTEXT, 3, "base:allocation"), ack(NbdOption.SET_META_CONTEXT)));
        s.expectOption(NbdOption.EXPORT_NAME);
        s.feed(buf().writeLong(8192).writeShort(1));
        Negotiated n = s.connection.join().negotiated();
        assertThat(n.finalOption()).isEqualTo(NbdOption.EXPORT_NAME);
        assertThat(n.headerMode()).isEqualTo(HeaderMode.STRUCTURED);
        assertThat(n.metaContexts()).containsEntry("base:allocation", 3);
    }

    @Test
    void nonFixedNewstyleGoesStraightToExportName() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/x", ClientOptions.defaults());
        s.feed(greeting(0));
        assertThat(s.clientFlags()).isZero();
        s.expectOption(NbdOption.EXPORT_NAME);
        s.feed(buf().writeLong(8192).writeShort(1).writeZero(124));
        Negotiated n = s.connection.join().negotiated();
        assertThat(n.protocol()).isEqualTo("newstyle");
        assertThat(n.headerMode()).isEqualTo(HeaderMode.SIMPLE);
    }

    @Test
    void oldstyleServer() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/", ClientOptions.defaults());
        s.feed(buf().writeLong(NbdMagic.NBDMAGIC).writeLong(NbdMagic.OLDSTYLE).writeLong(1 << 20).writeInt(1).writeZero(124));
        assertThat(failure(s.connection)).isInstanceOf(NbdProtocolException.class)
            .hasMessageContaining("oldstyle negotiation is not supported");
        assertThat(s.ch.isOpen()).isFalse();
    }

    @Test
    void nbdsNeverDowngradesWhenStartTlsIsRefused() {
        ScriptedServer s = new ScriptedServer("nbds://127.0.0.1/", ClientOptions.defaults());
        s.feed(greeting(FIXED));
        s.clientFlags();
        s.expectOption(NbdOption.STARTTLS);
        s.feed(error(NbdOption.STARTTLS, NbdOptionReply.ERR_POLICY, "no TLS here"));
        assertThat(failure(s.connection)).isInstanceOf(NbdOptionException.class)
            .hasMessageContaining("refused TLS").hasMessageContaining("NBD_REP_ERR_POLICY").hasMessageContaining("no TLS here");
        assertThat(s.pending()).as("nothing sent after the refusal").isZero();
        assertThat(s.ch.isOpen()).isFalse();
    }

    @Test
    void nbdsAgainstNonFixedServer() {
        ScriptedServer s = new ScriptedServer("nbds://127.0.0.1/", ClientOptions.defaults());
        s.feed(greeting(0));
        assertThat(failure(s.connection)).hasMessageContaining("cannot do TLS");
    }

    @Test
    void goErrorsNameTheExport() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/nope", ClientOptions.defaults().withMetaContexts(List.of()));
        s.feed(greeting(FIXED));
        s.clientFlags();
        s.expectOption(NbdOption.EXTENDED_HEADERS);
        s.feed(ack(NbdOption.EXTENDED_HEADERS));
        s.expectOption(NbdOption.GO);
        s.feed(error(NbdOption.GO, NbdOptionReply.ERR_UNKNOWN, "unknown export"));
        Throwable t = failure(s.connection);
        assertThat(t).isInstanceOf(NbdOptionException.class).hasMessageContaining("export 'nope' not found")
            .hasMessageContaining("NBD_REP_ERR_UNKNOWN");
        assertThat(((NbdOptionException) t).replyType()).isEqualTo(NbdOptionReply.ERR_UNKNOWN.code());
    }

    @Test
    void goUnsupportedAfterExtendedHeadersIsAnError() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/", ClientOptions.defaults().withMetaContexts(List.of()));
        s.feed(greeting(FIXED));
        s.clientFlags();
        s.expectOption(NbdOption.EXTENDED_HEADERS);
        s.feed(ack(NbdOption.EXTENDED_HEADERS));
        s.expectOption(NbdOption.GO);
        s.feed(error(NbdOption.GO, NbdOptionReply.ERR_UNSUP, ""));
        assertThat(failure(s.connection)).isInstanceOf(NbdOptionException.class).hasMessageContaining("NBD_REP_ERR_UNSUP");
    }

    @Test
    void tlsRequiredServerTellsTheUserToUseNbds() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/", ClientOptions.defaults());
        s.feed(greeting(FIXED));
        s.clientFlags();
        s.expectOption(NbdOption.EXTENDED_HEADERS);
        s.feed(error(NbdOption.EXTENDED_HEADERS, NbdOptionReply.ERR_TLS_REQD, ""));
        s.expectOption(NbdOption.STRUCTURED_REPLY);
        s.feed(error(NbdOption.STRUCTURED_REPLY, NbdOptionReply.ERR_TLS_REQD, ""));
        s.expectOption(NbdOption.GO);
        s.feed(error(NbdOption.GO, NbdOptionReply.ERR_TLS_REQD, "TLS required"));
        assertThat(failure(s.connection)).hasMessageContaining("requires TLS; use an nbds:// URI");
    }

    @Test
    void goAckWithoutExportInfo() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/", ClientOptions.defaults().withMetaContexts(List.of()).withMaxHeaderMode(HeaderMode.SIMPLE));
        s.feed(greeting(FIXED));
        s.clientFlags();
        s.expectOption(NbdOption.GO);
        s.feed(ack(NbdOption.GO));
        assertThat(failure(s.connection)).isInstanceOf(NbdProtocolException.class).hasMessageContaining("without sending NBD_INFO_EXPORT");
    }

    @Test
    void serverClosesAfterExportName() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/x", ClientOptions.defaults().withUseGo(false).withMaxHeaderMode(HeaderMode.SIMPLE));
        s.feed(greeting(FIXED));
        s.clientFlags();
        s.expectOption(NbdOption.EXPORT_NAME);
        s.ch.close();
        assertThat(failure(s.connection)).hasMessageContaining("after NBD_OPT_EXPORT_NAME: export 'x'");
    }

    @Test
    void handshakeTimesOutWhenTheServerIsSilent() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/", ClientOptions.defaults());
        s.feed(greeting(FIXED));
        s.clientFlags();
        s.expectOption(NbdOption.EXTENDED_HEADERS);
        s.advance(59);
        assertThat(s.connection).isNotDone();
        s.advance(2);
        assertThat(failure(s.connection)).hasMessageContaining("timed out after 60 s waiting for the reply to NBD_OPT_EXTENDED_HEADERS (request timeout)");
        assertThat(s.ch.isOpen()).isFalse();
    }

    @Test
    void noGreetingTimesOut() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/", ClientOptions.defaults());
        s.advance(11);
        assertThat(failure(s.connection)).hasMessageContaining("timed out after 10 s waiting for the server's greeting (connect timeout)");
    }

    @Test
    void listNamesAndDescriptionsThenAbort() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/", ClientOptions.defaults(), Handshake.Goal.LIST);
        s.feed(greeting(FIXED));
        s.clientFlags();
        s.expectOption(NbdOption.LIST);
        s.feed(concat(server("disk1", "first disk"), server("disk2", ""), ack(NbdOption.LIST)));
        assertThat(s.handshake.exports.join()).containsExactly(new ExportEntry("disk1", "first disk"), new ExportEntry("disk2", ""));
        s.expectOption(NbdOption.ABORT);
        assertThat(s.ch.isOpen()).isFalse();
    }

    @Test
    void listRefused() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/", ClientOptions.defaults(), Handshake.Goal.LIST);
        s.feed(greeting(FIXED));
        s.clientFlags();
        s.expectOption(NbdOption.LIST);
        s.feed(error(NbdOption.LIST, NbdOptionReply.ERR_POLICY, "listing disabled"));
        assertThat(failure(s.handshake.exports)).hasMessageContaining("refused to list").hasMessageContaining("listing disabled");
    }

    @Test
    void duplicateContextIds() {
        ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/", ClientOptions.defaults().withMetaContexts(List.of("base:allocation", "qemu:allocation-depth")));
        s.feed(greeting(FIXED));
        s.clientFlags();
        s.expectOption(NbdOption.EXTENDED_HEADERS);
        s.feed(ack(NbdOption.EXTENDED_HEADERS));
        s.expectOption(NbdOption.SET_META_CONTEXT);
        ByteBuf b = concat(metaContext(NbdOption.SET_META_CONTEXT, 1, "base:allocation"), metaContext(NbdOption.SET_META_CONTEXT, 1, "qemu:allocation-depth"));
        s.feed(b);
        assertThat(failure(s.connection)).hasMessageContaining("id 1 given to both");
    }
}
