package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nbdscope.engine.nbd.client.NbdHandshakeTest.failure;
import static org.nbdscope.engine.nbd.client.Wire.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdReplyType;
import org.nbdscope.engine.proto.TransmissionFlags;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.source.WireStats;

/** Requests, replies and the three error scopes, against a server played by the test. */
class NbdTransmissionTest {
    static final long TIB = 1L << 40;
    static final int ALL = TransmissionFlags.HAS_FLAGS | TransmissionFlags.SEND_FLUSH | TransmissionFlags.SEND_FUA
        | TransmissionFlags.SEND_TRIM | TransmissionFlags.SEND_WRITE_ZEROES | TransmissionFlags.SEND_FAST_ZERO
        | TransmissionFlags.SEND_CACHE;

    final ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/", ClientOptions.defaults());

    @Test
    void manyReadsInFlightAnsweredInReverseOrder() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        List<CompletableFuture<byte[]>> reads = new ArrayList<>();
        for (int i = 0; i < 10; i++) reads.add(c.read(i * 4096L, 4096));
        List<ScriptedServer.Request> reqs = new ArrayList<>();
        for (int i = 0; i < 10; i++) reqs.add(s.request(false));
        assertThat(reqs).extracting(ScriptedServer.Request::cookie).doesNotHaveDuplicates();
        for (int i = 9; i >= 0; i--) {
            ScriptedServer.Request r = reqs.get(i);
            byte[] d = new byte[4096];
            java.util.Arrays.fill(d, (byte) i);
            if (i % 2 == 0) {
                s.feed(chunk(false, NbdReplyType.OFFSET_DATA, r.cookie(), data(r.offset(), java.util.Arrays.copyOf(d, 1000))));
                s.feed(chunk(true, NbdReplyType.OFFSET_DATA, r.cookie(), data(r.offset() + 1000, java.util.Arrays.copyOfRange(d, 1000, 4096))));
            } else {
                s.feed(chunk(false, NbdReplyType.OFFSET_DATA, r.cookie(), data(r.offset(), d)));
                s.feed(chunk(true, NbdReplyType.NONE, r.cookie(), null));
            }
            assertThat(reads.get(i)).isCompleted();
            if (i > 0) assertThat(reads.get(i - 1)).isNotDone();
        }
        for (int i = 0; i < 10; i++) assertThat(reads.get(i).join()).containsOnly((byte) i);
        WireStats st = c.stats();
        assertThat(st.requests(NbdCommand.READ)).isEqualTo(10);
        assertThat(st.roundTrips()).as("EXTENDED_HEADERS, STRUCTURED_REPLY, SET_META_CONTEXT, GO, 10 reads").isEqualTo(4 + 10);
    }

    @Test
    void readsWithHolesAndSimpleReplies() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        CompletableFuture<byte[]> r = c.read(0, 8192);
        ScriptedServer.Request req = s.request(false);
        s.feed(chunk(false, NbdReplyType.OFFSET_HOLE, req.cookie(), hole(0, 4096)));
        s.feed(chunk(true, NbdReplyType.OFFSET_DATA, req.cookie(), data(4096, new byte[4096])));
        assertThat(r.join()).hasSize(8192).containsOnly(0);

        CompletableFuture<byte[]> partial = c.read(0, 8192);
        req = s.request(false);
        s.feed(chunk(true, NbdReplyType.OFFSET_HOLE, req.cookie(), hole(0, 4096)));
        assertThat(failure(partial)).hasMessageContaining("covered 4096 of 8192 bytes");
    }

    @Test
    void readsAndWritesAreSplitAtTheMaximumPayload() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL, infoBlockSize(512, 4096, 65536));
        byte[] data = new byte[200 * 1024];
        new java.util.Random(1).nextBytes(data);
        CompletableFuture<Void> w = c.write(0, data, NbdCommand.FLAG_FUA);
        long total = 0;
        for (int i = 0; i < 4; i++) {
            ScriptedServer.Request r = s.request(false);
            assertThat(r.command()).isEqualTo(NbdCommand.WRITE);
            assertThat(r.flags()).isEqualTo(NbdCommand.FLAG_FUA);
            assertThat(r.length()).isLessThanOrEqualTo(65536);
            assertThat(r.payload()).isEqualTo(java.util.Arrays.copyOfRange(data, (int) r.offset(), (int) (r.offset() + r.length())));
            total += r.length();
            s.feed(simple(r.cookie(), 0, null));
        }
        assertThat(total).isEqualTo(data.length);
        assertThat(s.pending()).isZero();
        w.join();

        CompletableFuture<byte[]> rd = c.read(0, data.length);
        for (int i = 0; i < 4; i++) {
            ScriptedServer.Request r = s.request(false);
            assertThat(r.length()).isLessThanOrEqualTo(65536);
            s.feed(chunk(true, NbdReplyType.OFFSET_DATA, r.cookie(),
                data(r.offset(), java.util.Arrays.copyOfRange(data, (int) r.offset(), (int) (r.offset() + r.length())))));
        }
        assertThat(rd.join()).isEqualTo(data);
    }

    @Test
    void unalignedRequestsAreRefusedBeforeSending() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL, infoBlockSize(4096, 4096, 1 << 20));
        assertThat(failure(c.read(512, 4096))).isInstanceOf(NbdCommandException.class)
            .hasMessageContaining("NBD_CMD_READ at offset 512 length 4096 failed")
            .hasMessageContaining("multiples of the minimum block size 4096");
        assertThat(failure(c.writeZeroes(0, 100, 0))).hasMessageContaining("minimum block size 4096");
        assertThat(failure(c.read(1 << 20, 4096))).hasMessageContaining("past the end of the export (size 1048576)");
        assertThat(s.pending()).isZero();
    }

    @Test
    void commandsTheServerDoesNotAdvertise() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, TransmissionFlags.HAS_FLAGS | TransmissionFlags.SEND_WRITE_ZEROES);
        assertThat(failure(c.flush())).hasMessageContaining("does not advertise NBD_FLAG_SEND_FLUSH");
        assertThat(failure(c.trim(0, 4096, 0))).hasMessageContaining("NBD_FLAG_SEND_TRIM");
        assertThat(failure(c.cache(0, 4096))).hasMessageContaining("NBD_FLAG_SEND_CACHE");
        assertThat(failure(c.writeZeroes(0, 4096, NbdCommand.FLAG_FAST_ZERO))).hasMessageContaining("NBD_FLAG_SEND_FAST_ZERO");
        assertThat(failure(c.write(0, new byte[512], NbdCommand.FLAG_FUA))).hasMessageContaining("NBD_FLAG_SEND_FUA");
        assertThat(s.pending()).isZero();
    }

    @Test
    void readOnlyExportRefusesWrites() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL | TransmissionFlags.READ_ONLY);
        assertThat(c.readOnly()).isTrue();
        assertThat(failure(c.write(0, new byte[512], 0))).hasMessageContaining("the export is read-only");
        assertThat(failure(c.writeZeroes(0, 512, 0))).hasMessageContaining("read-only");
        assertThat(failure(c.trim(0, 512, 0))).hasMessageContaining("read-only");
        assertThat(s.pending()).isZero();
    }

    @Test
    void serverErrorsReachTheCallerNamingCommandRangeAndError() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        CompletableFuture<Void> z = c.writeZeroes(4096, 8192, NbdCommand.FLAG_FAST_ZERO | NbdCommand.FLAG_NO_HOLE);
        ScriptedServer.Request r = s.request(false);
        assertThat(r.command()).isEqualTo(NbdCommand.WRITE_ZEROES);
        assertThat(r.flags()).isEqualTo(NbdCommand.FLAG_FAST_ZERO | NbdCommand.FLAG_NO_HOLE);
        s.feed(chunk(true, NbdReplyType.ERROR, r.cookie(), errorPayload(95, "fast zero not possible")));
        Throwable t = failure(z);
        assertThat(t).isInstanceOf(NbdCommandException.class).hasMessage(
            "NBD_CMD_WRITE_ZEROES at offset 4096 length 8192 failed: NBD_ENOTSUP (95, Operation not supported): fast zero not possible");
        NbdCommandException e = (NbdCommandException) t;
        assertThat(e.notSupported()).isTrue();
        assertThat(e.connectionLost()).isFalse();

        CompletableFuture<Void> f = c.flush();
        r = s.request(false);
        s.feed(simple(r.cookie(), 5, null));
        assertThat(failure(f)).hasMessage("NBD_CMD_FLUSH at offset 0 length 0 failed: NBD_EIO (5, Input/output error)");
        assertThat(c.stats().serverErrors()).isEqualTo(2);
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void blockStatusClipsTheLastExtentToTheRequest() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 30, ALL);
        CompletableFuture<ExtentBatch> b = c.blockStatus("base:allocation", 1 << 20, 1 << 20, false);
        ScriptedServer.Request r = s.request(false);
        assertThat(r.command()).isEqualTo(NbdCommand.BLOCK_STATUS);
        assertThat(r.offset()).isEqualTo(1 << 20);
        assertThat(r.length()).isEqualTo(1 << 20);
        s.feed(chunk(true, NbdReplyType.BLOCK_STATUS, r.cookie(), status(1, 65536, 0, 1 << 24, 3)));
        ExtentBatch e = b.join();
        assertThat(e.offset()).isEqualTo(1 << 20);
        assertThat(e.count()).isEqualTo(2);
        assertThat(e.lengths()).startsWith(65536, (1 << 20) - 65536);
        assertThat(e.status()).startsWith(0, 3);
        assertThat(e.end()).isEqualTo(2 << 20);
    }

    @Test
    void blockStatusWithoutExtendedHeadersTakes257RequestsPerTiB() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, TIB, ALL);
        assertThat(c.maxStatusLength()).isEqualTo(0x100000000L - 512);
        assertThat((TIB + c.maxStatusLength() - 1) / c.maxStatusLength()).isEqualTo(257);
        CompletableFuture<ExtentBatch> b = c.blockStatus("base:allocation", 0, TIB, true);
        ScriptedServer.Request r = s.request(false);
        assertThat(r.length()).isEqualTo(0x100000000L - 512);
        assertThat(r.flags()).isEqualTo(NbdCommand.FLAG_REQ_ONE);
        s.feed(chunk(true, NbdReplyType.BLOCK_STATUS, r.cookie(), status(1, r.length(), 3)));
        assertThat(b.join().covered()).isEqualTo(r.length());
    }

    @Test
    void extendedHeadersCoverTheWholeExportInOneRequest() {
        NbdConnection c = s.negotiate(HeaderMode.EXTENDED, TIB, ALL);
        assertThat(c.maxStatusLength()).isEqualTo(TIB);
        CompletableFuture<ExtentBatch> b = c.blockStatus("base:allocation", 0, TIB, true);
        ScriptedServer.Request r = s.request(true);
        assertThat(r.length()).isEqualTo(TIB);
        s.feed(ext(true, NbdReplyType.BLOCK_STATUS_EXT, r.cookie(), 0, statusExt(1, TIB, 3)));
        ExtentBatch e = b.join();
        assertThat(e.lengths()[0]).isEqualTo(TIB);
        assertThat(e.status()[0]).isEqualTo(3);

        CompletableFuture<Void> z = c.writeZeroes(0, TIB, NbdCommand.FLAG_FAST_ZERO);
        r = s.request(true);
        assertThat(r.command()).isEqualTo(NbdCommand.WRITE_ZEROES);
        assertThat(r.length()).isEqualTo(TIB);
        s.feed(ext(true, NbdReplyType.NONE, r.cookie(), 0, null));
        z.join();
        assertThat(s.pending()).isZero();

        CompletableFuture<Void> w = c.write(512, new byte[] {1, 2, 3}, 0);
        r = s.request(true);
        assertThat(r.flags()).as("extended writes carry PAYLOAD_LEN").isEqualTo(NbdCommand.FLAG_PAYLOAD_LEN);
        assertThat(r.payload()).containsExactly(1, 2, 3);
        s.feed(ext(true, NbdReplyType.NONE, r.cookie(), 512, null));
        w.join();
    }

    @Test
    void zeroingWithoutExtendedHeadersIsSplitAt32Bits() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, TIB, ALL);
        CompletableFuture<Void> z = c.writeZeroes(0, TIB, 0);
        long total = 0;
        int n = 0;
        while (s.pending() > 0) {
            ScriptedServer.Request r = s.request(false);
            assertThat(r.length()).isLessThanOrEqualTo(0xFFFFFFFFL);
            assertThat(r.offset()).isEqualTo(total);
            total += r.length();
            n++;
            s.feed(simple(r.cookie(), 0, null));
        }
        assertThat(total).isEqualTo(TIB);
        assertThat(n).isEqualTo(257);
        z.join();
        assertThat(c.stats().requests(NbdCommand.WRITE_ZEROES)).isEqualTo(257);
    }

    // ---- error scope 1: a well-framed but wrong chunk fails only its command ----

    CompletableFuture<ExtentBatch> statusWithReply(NbdConnection c, long offset, long length, boolean reqOne, org.nbdscope.engine.nbd.client.ScriptedServer s2, io.netty.buffer.ByteBuf... chunks) {
        CompletableFuture<ExtentBatch> b = c.blockStatus("base:allocation", offset, length, reqOne);
        ScriptedServer.Request r = s2.request(false);
        for (io.netty.buffer.ByteBuf ch : chunks) s2.feed(chunk(ch.getUnsignedShort(0) != 0 ? 1 : 0, ch.getUnsignedShort(2), r.cookie(), ch.skipBytes(4)));
        return b;
    }

    /** A chunk to send: done flag and type in the first 4 bytes, then the payload. */
    static io.netty.buffer.ByteBuf c(boolean done, NbdReplyType t, io.netty.buffer.ByteBuf payload) {
        io.netty.buffer.ByteBuf b = buf().writeShort(done ? 1 : 0).writeShort(t.code());
        if (payload != null) b.writeBytes(payload);
        return b;
    }

    void assertFailsOnlyItsCommand(NbdConnection c, CompletableFuture<?> f, String message) {
        assertThat(failure(f)).isInstanceOf(NbdCommandException.class).hasMessageContaining(message);
        assertThat(((NbdCommandException) failure(f)).connectionLost()).isFalse();
        assertThat(c.isOpen()).isTrue();
        // the connection still works
        CompletableFuture<ExtentBatch> ok = statusWithReply(c, 0, 4096, false, s, c(true, NbdReplyType.BLOCK_STATUS, status(1, 4096, 0)));
        assertThat(ok.join().covered()).isEqualTo(4096);
    }

    @Test
    void zeroLengthExtent() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        assertFailsOnlyItsCommand(c, statusWithReply(c, 0, 8192, false, s, c(true, NbdReplyType.BLOCK_STATUS, status(1, 4096, 0, 0, 3))),
            "zero-length extent at index 1 for base:allocation");
    }

    @Test
    void extentPastTheRequestedRange() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        assertFailsOnlyItsCommand(c, statusWithReply(c, 0, 8192, false, s, c(true, NbdReplyType.BLOCK_STATUS, status(1, 8192, 0, 4096, 3))),
            "extent 1 for base:allocation starts at 8192, past the requested range 0+8192");
    }

    @Test
    void reqOneWithTwoExtents() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        assertFailsOnlyItsCommand(c, statusWithReply(c, 0, 8192, true, s, c(true, NbdReplyType.BLOCK_STATUS, status(1, 4096, 0, 4096, 3))),
            "REQ_ONE block status answered with 2 extents");
        assertFailsOnlyItsCommand(c, statusWithReply(c, 0, 8192, true, s, c(true, NbdReplyType.BLOCK_STATUS, status(1, 16384, 0))),
            "REQ_ONE extent of 16384 bytes");
    }

    @Test
    void unknownContextId() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        assertFailsOnlyItsCommand(c, statusWithReply(c, 0, 8192, false, s, c(true, NbdReplyType.BLOCK_STATUS, status(9, 8192, 0))),
            "meta context id 9, which was never selected");
    }

    @Test
    void missingStatusChunk() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        assertFailsOnlyItsCommand(c, statusWithReply(c, 0, 8192, false, s, c(true, NbdReplyType.NONE, null)),
            "no status chunk for meta context base:allocation");
    }

    @Test
    void unexpectedChunkTypeForTheCommand() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        assertFailsOnlyItsCommand(c, statusWithReply(c, 0, 8192, false, s,
                c(false, NbdReplyType.OFFSET_DATA, data(0, new byte[16])), c(true, NbdReplyType.BLOCK_STATUS, status(1, 8192, 0))),
            "unexpected data for NBD_CMD_BLOCK_STATUS");
    }

    @Test
    void dataOutsideTheReadRange() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        CompletableFuture<byte[]> r = c.read(4096, 4096);
        ScriptedServer.Request req = s.request(false);
        s.feed(chunk(true, NbdReplyType.OFFSET_DATA, req.cookie(), data(6144, new byte[4096])));
        assertFailsOnlyItsCommand(c, r, "NBD_REPLY_TYPE_OFFSET_DATA for 6144+4096 lies outside the request 4096+4096");
    }

    @Test
    void extendedStatusWithoutExtendedHeaders() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        assertFailsOnlyItsCommand(c, statusWithReply(c, 0, 8192, false, s, c(true, NbdReplyType.BLOCK_STATUS_EXT, statusExt(1, 8192, 0))),
            "NBD_REPLY_TYPE_BLOCK_STATUS_EXT without extended headers");
    }

    // ---- error scope 2 and 3: framing errors close the connection and fail everything in flight ----

    @Test
    void badMagicClosesTheConnectionAndFailsEveryRequest() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        CompletableFuture<byte[]> a = c.read(0, 4096);
        CompletableFuture<Void> b = c.flush();
        s.request(false);
        s.request(false);
        s.feed(buf().writeInt(0x12345678).writeZero(16));
        for (CompletableFuture<?> f : List.of(a, b)) {
            assertThat(failure(f)).isInstanceOf(NbdConnectionLostException.class).hasMessageContaining("bad reply magic 0x12345678");
        }
        assertThat(c.isOpen()).isFalse();
        assertThat(s.ch.isOpen()).isFalse();
        assertThat(failure(c.flush())).isInstanceOf(NbdConnectionLostException.class).hasMessageContaining("bad reply magic 0x12345678");
        assertThat(c.failure()).isInstanceOf(NbdProtocolException.class);
    }

    @Test
    void unknownCookieClosesTheConnection() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        CompletableFuture<Void> f = c.flush();
        s.request(false);
        s.feed(simple(0xabcdef, 0, null));
        assertThat(failure(f)).hasMessageContaining("reply for unknown cookie 0xabcdef");
        assertThat(c.isOpen()).isFalse();
    }

    @Test
    void oversizeLengthClosesTheConnection() {
        NbdConnection c = s.negotiate(HeaderMode.EXTENDED, 1 << 20, ALL);
        CompletableFuture<ExtentBatch> f = c.blockStatus("base:allocation", 0, 4096, false);
        ScriptedServer.Request r = s.request(true);
        s.feed(buf().writeInt(0x6e8a278c).writeShort(1).writeShort(6).writeLong(r.cookie()).writeLong(0).writeLong(1L << 40));
        assertThat(failure(f)).hasMessageContaining("reply chunk length 1099511627776 for NBD_REPLY_TYPE_BLOCK_STATUS_EXT exceeds");
    }

    @Test
    void serverHangupFailsEverythingInFlight() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        CompletableFuture<byte[]> a = c.read(0, 4096);
        s.ch.close();
        assertThat(failure(a)).isInstanceOf(NbdConnectionLostException.class).hasMessageContaining("closed the connection");
    }

    // ---- timeouts and disconnect ----

    @Test
    void requestTimeoutFailsTheRequestAndALateReplyIsDropped() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        CompletableFuture<byte[]> a = c.read(0, 4096);
        ScriptedServer.Request r = s.request(false);
        s.advance(59);
        assertThat(a).isNotDone();
        s.advance(2);
        assertThat(failure(a)).hasMessage("NBD_CMD_READ at offset 0 length 4096 failed: no reply within 60 s (request timeout)");
        s.feed(chunk(true, NbdReplyType.OFFSET_DATA, r.cookie(), data(0, new byte[4096])));
        assertThat(c.isOpen()).isTrue();
        CompletableFuture<Void> f = c.flush();
        s.feed(simple(s.request(false).cookie(), 0, null));
        f.join();
    }

    @Test
    void eachRequestHasItsOwnDeadline() {
        // one periodic check per connection: a request sent later times out later, an answered one never
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        CompletableFuture<byte[]> first = c.read(0, 4096);
        s.request(false);
        s.advance(30);
        CompletableFuture<byte[]> second = c.read(4096, 4096);
        s.request(false);
        CompletableFuture<Void> answered = c.flush();
        s.feed(simple(s.request(false).cookie(), 0, null));
        answered.join();
        s.advance(31);
        assertThat(failure(first)).hasMessageContaining("no reply within 60 s");
        assertThat(second).isNotDone();
        s.advance(30);
        assertThat(failure(second)).hasMessage("NBD_CMD_READ at offset 4096 length 4096 failed: no reply within 60 s (request timeout)");
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void disconnectWaitsForRequestsThenSendsDisc() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        CompletableFuture<Void> f = c.flush();
        ScriptedServer.Request r = s.request(false);
        CompletableFuture<Void> closed = c.disconnect();
        assertThat(s.pending()).isZero();
        assertThat(failure(c.flush())).hasMessageContaining("closing");
        s.feed(simple(r.cookie(), 0, null));
        f.join();
        ScriptedServer.Request disc = s.request(false);
        assertThat(disc.command()).isEqualTo(NbdCommand.DISC);
        s.ch.runPendingTasks();
        assertThat(closed).isCompleted();
        assertThat(c.stats().requests(NbdCommand.DISC)).isEqualTo(1);
    }

    @Test
    void shutdownErrorStartsASoftDisconnect() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, ALL);
        CompletableFuture<Void> f = c.flush();
        s.feed(simple(s.request(false).cookie(), 108, null));
        assertThat(failure(f)).hasMessageContaining("NBD_ESHUTDOWN");
        assertThat(s.request(false).command()).isEqualTo(NbdCommand.DISC);
    }

    @Test
    void detailsDescribeTheNegotiation() {
        NbdConnection c = s.negotiate(HeaderMode.EXTENDED, 1 << 20, ALL, infoBlockSize(512, 4096, 1 << 25), infoInitState(3));
        assertThat(c.details().get("Header mode")).isEqualTo("extended");
        assertThat(c.details().get("Zero flag (NBD_INFO_INIT_STATE)")).isEqualTo("zero, sparse (0x0003)");
        assertThat(c.details().get("Minimum block size")).isEqualTo("512");
        assertThat(c.details().get("Meta contexts")).isEqualTo("base:allocation (id 1)");
        assertThat(c.details().get("TLS")).isEqualTo("no");
        assertThat(c.details().get("Transmission flags")).contains("fast zero");
    }
}
