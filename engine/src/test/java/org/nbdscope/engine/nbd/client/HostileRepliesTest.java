package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nbdscope.engine.nbd.client.NbdHandshakeTest.failure;
import static org.nbdscope.engine.nbd.client.Wire.*;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.nbdscope.engine.proto.NbdError;
import org.nbdscope.engine.proto.NbdReplyType;
import org.nbdscope.engine.proto.TransmissionFlags;
import org.nbdscope.engine.source.ExtentBatch;

/**
 * Well-framed but wrong replies fail only their command, and the connection goes on; every case through
 * the real connection, several of them fed one byte at a time.
 */
class HostileRepliesTest {
    static final int FLAGS = TransmissionFlags.HAS_FLAGS | TransmissionFlags.SEND_FLUSH;

    final ScriptedServer s = new ScriptedServer("nbd://127.0.0.1/", ClientOptions.defaults());

    void oneByteAtATime(ByteBuf bytes) {
        while (bytes.isReadable()) s.feed(bytes.readRetainedSlice(1));
        bytes.release();
    }

    /** The command failed on its own: not a lost connection, and a later request still works. */
    void failsOnlyItsCommand(NbdConnection c, CompletableFuture<?> f, String message) {
        assertThat(failure(f)).isInstanceOf(NbdCommandException.class).hasMessageContaining(message);
        assertThat(((NbdCommandException) failure(f)).connectionLost()).isFalse();
        assertThat(c.isOpen()).isTrue();
        CompletableFuture<byte[]> ok = c.read(0, 4096);
        ScriptedServer.Request r = s.request(c.negotiated().headerMode() == HeaderMode.EXTENDED);
        byte[] d = new byte[4096];
        Arrays.fill(d, (byte) 0x42);
        if (c.negotiated().headerMode() == HeaderMode.EXTENDED) {
            s.feed(ext(true, NbdReplyType.OFFSET_DATA, r.cookie(), 0, data(0, d)));
        } else {
            s.feed(chunk(true, NbdReplyType.OFFSET_DATA, r.cookie(), data(0, d)));
        }
        assertThat(ok.join()).containsOnly(0x42);
    }

    @Test
    void overlappingDataChunksThatAddUpToTheLengthStillFail() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, FLAGS);
        CompletableFuture<byte[]> r = c.read(0, 8192);
        ScriptedServer.Request req = s.request(false);
        // 4096 + 2048 + 2048 bytes "cover" 8192, but 2048..4096 twice and 6144..8192 never
        s.feed(chunk(false, NbdReplyType.OFFSET_DATA, req.cookie(), data(0, new byte[4096])));
        s.feed(chunk(false, NbdReplyType.OFFSET_DATA, req.cookie(), data(2048, new byte[2048])));
        s.feed(chunk(true, NbdReplyType.OFFSET_HOLE, req.cookie(), hole(4096, 2048)));
        failsOnlyItsCommand(c, r, "NBD_REPLY_TYPE_OFFSET_DATA for 2048+2048 overlaps the chunk already received for 0+4096");
    }

    @Test
    void aHoleOverlappingDataFails() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, FLAGS);
        CompletableFuture<byte[]> r = c.read(0, 8192);
        ScriptedServer.Request req = s.request(false);
        s.feed(chunk(false, NbdReplyType.OFFSET_DATA, req.cookie(), data(4096, new byte[4096])));
        s.feed(chunk(false, NbdReplyType.OFFSET_HOLE, req.cookie(), hole(0, 8192)));
        s.feed(chunk(true, NbdReplyType.NONE, req.cookie(), null));
        failsOnlyItsCommand(c, r, "NBD_REPLY_TYPE_OFFSET_HOLE for 0+8192 overlaps the chunk already received for 4096+4096");
    }

    @Test
    void chunksInAnyOrderWithoutOverlapAreFine() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, FLAGS);
        CompletableFuture<byte[]> r = c.read(0, 12288);
        ScriptedServer.Request req = s.request(false);
        byte[] d = new byte[4096];
        Arrays.fill(d, (byte) 7);
        oneByteAtATime(concat(chunk(false, NbdReplyType.OFFSET_DATA, req.cookie(), data(8192, d)),
            chunk(false, NbdReplyType.OFFSET_HOLE, req.cookie(), hole(4096, 4096)),
            chunk(true, NbdReplyType.OFFSET_DATA, req.cookie(), data(0, d))));
        byte[] got = r.join();
        assertThat(Arrays.copyOfRange(got, 0, 4096)).containsOnly(7);
        assertThat(Arrays.copyOfRange(got, 4096, 8192)).containsOnly(0);
        assertThat(Arrays.copyOfRange(got, 8192, 12288)).containsOnly(7);
    }

    @Test
    void aSimpleReplyWithDataToAReadAfterStructuredRepliesFails() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, FLAGS);
        CompletableFuture<byte[]> r = c.read(0, 4096);
        ScriptedServer.Request req = s.request(false);
        oneByteAtATime(simple(req.cookie(), 0, new byte[4096]));
        failsOnlyItsCommand(c, r, "simple reply with data to NBD_CMD_READ after structured replies were negotiated");
    }

    @Test
    void aSimpleErrorReplyToAReadAfterStructuredRepliesFailsOnlyThatRead() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, FLAGS);
        CompletableFuture<byte[]> r = c.read(0, 4096);
        ScriptedServer.Request req = s.request(false);
        oneByteAtATime(simple(req.cookie(), 5, null));
        failsOnlyItsCommand(c, r, "simple reply with NBD_EIO (5, Input/output error) to NBD_CMD_READ after structured replies"
            + " were negotiated");
    }

    @Test
    void noneChunkWithoutDone() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, FLAGS);
        CompletableFuture<Void> f = c.flush();
        ScriptedServer.Request req = s.request(false);
        s.feed(chunk(false, NbdReplyType.NONE, req.cookie(), null));
        s.feed(chunk(true, NbdReplyType.NONE, req.cookie(), null));
        failsOnlyItsCommand(c, f, "NBD_REPLY_TYPE_NONE chunk without NBD_REPLY_FLAG_DONE");
    }

    @Test
    void holeOfSizeZero() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, FLAGS);
        CompletableFuture<byte[]> r = c.read(0, 4096);
        ScriptedServer.Request req = s.request(false);
        s.feed(chunk(false, NbdReplyType.OFFSET_HOLE, req.cookie(), hole(0, 0)));
        s.feed(chunk(true, NbdReplyType.OFFSET_HOLE, req.cookie(), hole(0, 4096)));
        failsOnlyItsCommand(c, r, "NBD_REPLY_TYPE_OFFSET_HOLE with hole size 0");
    }

    @Test
    void holeOutsideTheRead() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, FLAGS);
        CompletableFuture<byte[]> r = c.read(4096, 4096);
        ScriptedServer.Request req = s.request(false);
        s.feed(chunk(true, NbdReplyType.OFFSET_HOLE, req.cookie(), hole(0, 8192)));
        failsOnlyItsCommand(c, r, "NBD_REPLY_TYPE_OFFSET_HOLE for 0+8192 lies outside the request 4096+4096");
    }

    @Test
    void errorChunkWithErrorValueZero() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, FLAGS);
        CompletableFuture<Void> f = c.flush();
        ScriptedServer.Request req = s.request(false);
        s.feed(chunk(true, NbdReplyType.ERROR, req.cookie(), errorPayload(0, "all fine, really")));
        failsOnlyItsCommand(c, f, "NBD_REPLY_TYPE_ERROR chunk with error value 0");
    }

    @Test
    void errorOffsetOutsideTheRequest() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, FLAGS);
        CompletableFuture<byte[]> r = c.read(4096, 4096);
        ScriptedServer.Request req = s.request(false);
        oneByteAtATime(chunk(true, NbdReplyType.ERROR_OFFSET, req.cookie(), errorPayload(NbdError.EIO.code(), "bad sector").writeLong(1 << 20)));
        failsOnlyItsCommand(c, r, "NBD_REPLY_TYPE_ERROR_OFFSET offset 1048576 lies outside the request");
    }

    @Test
    void errorOffsetInsideTheRequestNamesTheOffset() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, FLAGS);
        CompletableFuture<byte[]> r = c.read(4096, 4096);
        ScriptedServer.Request req = s.request(false);
        oneByteAtATime(chunk(true, NbdReplyType.ERROR_OFFSET, req.cookie(), errorPayload(NbdError.EIO.code(), "bad sector").writeLong(5000)));
        failsOnlyItsCommand(c, r, "bad sector (at offset 5000)");
    }

    @Test
    void twoStatusChunksForOneContext() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, FLAGS);
        CompletableFuture<ExtentBatch> b = c.blockStatus("base:allocation", 0, 8192, false);
        ScriptedServer.Request req = s.request(false);
        s.feed(chunk(false, NbdReplyType.BLOCK_STATUS, req.cookie(), status(1, 8192, 0)));
        s.feed(chunk(true, NbdReplyType.BLOCK_STATUS, req.cookie(), status(1, 8192, 3)));
        failsOnlyItsCommand(c, b, "two status chunks for meta context base:allocation");
    }

    @Test
    void blockStatusAnsweredBySimpleSuccess() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, FLAGS);
        CompletableFuture<ExtentBatch> b = c.blockStatus("base:allocation", 0, 8192, false);
        ScriptedServer.Request req = s.request(false);
        s.feed(simple(req.cookie(), 0, null));
        failsOnlyItsCommand(c, b, "simple reply without status chunks");
    }

    @Test
    void extendedHeaderOffsetDifferentFromTheRequest() {
        NbdConnection c = s.negotiate(HeaderMode.EXTENDED, 1 << 20, FLAGS);
        CompletableFuture<ExtentBatch> b = c.blockStatus("base:allocation", 4096, 8192, false);
        ScriptedServer.Request req = s.request(true);
        oneByteAtATime(ext(true, NbdReplyType.BLOCK_STATUS_EXT, req.cookie(), 0, statusExt(1, 8192, 0)));
        failsOnlyItsCommand(c, b, "the reply header's offset 0 differs from the request's offset 4096");
    }

    @Test
    void structuredStatusAndErrorsOneByteAtATimeThenAGoodAnswer() {
        NbdConnection c = s.negotiate(HeaderMode.STRUCTURED, 1 << 20, FLAGS);
        CompletableFuture<ExtentBatch> bad = c.blockStatus("base:allocation", 0, 8192, false);
        CompletableFuture<ExtentBatch> good = c.blockStatus("base:allocation", 8192, 8192, false);
        ScriptedServer.Request r1 = s.request(false);
        ScriptedServer.Request r2 = s.request(false);
        // answers interleaved, the second first, everything one byte at a time
        oneByteAtATime(concat(
            chunk(false, NbdReplyType.BLOCK_STATUS, r2.cookie(), status(1, 4096, 0, 4096, 3)),
            chunk(false, NbdReplyType.ERROR, r1.cookie(), errorPayload(NbdError.EIO.code(), "media error")),
            chunk(true, NbdReplyType.NONE, r2.cookie(), null),
            chunk(true, NbdReplyType.BLOCK_STATUS, r1.cookie(), status(1, 8192, 0))));
        ExtentBatch g = good.join();
        assertThat(g.offset()).isEqualTo(8192);
        assertThat(g.count()).isEqualTo(2);
        assertThat(g.status()[1]).isEqualTo(3);
        failsOnlyItsCommand(c, bad, "media error");
    }
}
