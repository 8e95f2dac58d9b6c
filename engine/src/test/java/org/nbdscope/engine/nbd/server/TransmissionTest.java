package org.nbdscope.engine.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nbdscope.engine.demo.DemoDisk;
import org.nbdscope.engine.nbd.server.backend.DemoBackend;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdError;
import org.nbdscope.engine.proto.NbdReplyType;

/** Every command through the raw client, in each header mode. */
class TransmissionTest {
    private static final int HOLE_ZERO = BlockStatusFlags.STATE_HOLE | BlockStatusFlags.STATE_ZERO;
    @TempDir Path dir;
    private NbdServer server;

    private NbdServer start(boolean unix) throws Exception {
        NbdServer.Builder b = NbdServer.builder()
            .export("disk", new MemoryBackend(1L << 40), "scratch", false)
            .export("demo", new DemoBackend(), "demo", false)
            .export("ro", new MemoryBackend(1L << 20), "read-only", true);
        if (unix) b.unixSocket(dir.resolve("nbd.sock"));
        server = b.start();
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + seed);
        return b;
    }

    @ParameterizedTest
    @EnumSource(HeaderMode.class)
    void writeThenReadBackWithHolesAround(HeaderMode mode) throws Exception {
        start(false);
        try (RawClient c = RawClient.open(server, mode, "disk")) {
            byte[] data = pattern(100_000, 7);
            assertThat(c.write(1_000_000, data).ok()).isTrue();
            RawClient.Result r = c.read(900_000, 300_000);
            assertThat(r.ok()).isTrue();
            byte[] expected = new byte[300_000];
            System.arraycopy(data, 0, expected, 100_000, data.length);
            assertThat(r.data()).isEqualTo(expected);
            if (mode != HeaderMode.SIMPLE) {
                List<Integer> types = r.chunks().stream().map(RawClient.Chunk::type).toList();
                assertThat(types).contains(NbdReplyType.OFFSET_HOLE.code(), NbdReplyType.OFFSET_DATA.code());
                assertThat(r.chunks().getLast().done()).isTrue();
            }
            assertThat(c.cmd(NbdCommand.FLUSH.code(), 0, 0, 0, null).ok()).isTrue();
            assertThat(c.cmd(NbdCommand.CACHE.code(), 0, 0, 4096, null).ok()).isTrue();
            assertThat(c.cmd(NbdCommand.WRITE.code(), NbdCommand.FLAG_FUA, 0, 4, new byte[] {1, 2, 3, 4}).ok()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(HeaderMode.class)
    void unixSocketServesTheSame(HeaderMode mode) throws Exception {
        start(true);
        assertThat(server.uri("demo")).isEqualTo("nbd+unix:///demo?socket=" + dir.resolve("nbd.sock"));
        try (RawClient c = RawClient.open(server, mode, "demo")) {
            ByteBuffer expected = ByteBuffer.allocate(4096);
            DemoDisk.standard().read(0, expected);
            assertThat(c.read(0, 4096).data()).isEqualTo(expected.array());
        }
    }

    @Test
    void readDontFragmentSendsOneDataChunk() throws Exception {
        start(false);
        try (RawClient c = RawClient.open(server, HeaderMode.STRUCTURED, "disk")) {
            c.write(8192, new byte[] {9});
            RawClient.Result r = c.cmd(NbdCommand.READ.code(), NbdCommand.FLAG_DF, 0, 65536, null);
            assertThat(r.chunks()).hasSize(1);
            assertThat(r.chunks().getFirst().type()).isEqualTo(NbdReplyType.OFFSET_DATA.code());
            assertThat(r.data()[8192]).isEqualTo((byte) 9);
        }
    }

    @Test
    void blockStatus32BitCapsAtTheRequestAndFitsDescriptors() throws Exception {
        start(false);
        try (RawClient c = RawClient.open(server, HeaderMode.STRUCTURED, "disk")) {
            c.write(5L << 30, new byte[4096]); // all zero: allocated zero
            c.write(6L << 30, pattern(4096, 1));
            RawClient.Result r = c.blockStatus(0, 0xFFFFFFFFL, 0);
            assertThat(r.ok()).isTrue();
            assertThat(r.chunks().getFirst().type()).isEqualTo(NbdReplyType.BLOCK_STATUS.code());
            assertThat(r.descriptors()).hasSize(1);
            assertThat(r.descriptors().getFirst()).as("capped at the request, aligned down to 4 KiB")
                .containsExactly(0xFFFFF000L, HOLE_ZERO);
            RawClient.Result small = c.blockStatus(100, 1000, NbdCommand.FLAG_REQ_ONE);
            assertThat(small.descriptors().getFirst()).as("too short to align: exactly the request").containsExactly(1000L, HOLE_ZERO);
            RawClient.Result tail = c.blockStatus(4L << 30, (4L << 30) - 4096, 0);
            assertThat(tail.descriptors()).extracting(d -> d[1]).containsExactly((long) HOLE_ZERO, (long) BlockStatusFlags.STATE_ZERO, (long) HOLE_ZERO, 0L, (long) HOLE_ZERO);
            assertThat(tail.descriptors().stream().mapToLong(d -> d[0]).sum()).isEqualTo((4L << 30) - 4096);
        }
    }

    @Test
    void blockStatus64BitCoversTheWholeDemoInOneReply() throws Exception {
        start(false);
        DemoDisk disk = DemoDisk.standard();
        try (RawClient c = RawClient.open(server, HeaderMode.EXTENDED, "demo")) {
            RawClient.Result r = c.blockStatus(0, disk.size(), 0);
            assertThat(r.ok()).isTrue();
            assertThat(r.chunks()).hasSize(1);
            assertThat(r.chunks().getFirst().type()).isEqualTo(NbdReplyType.BLOCK_STATUS_EXT.code());
            assertThat(r.descriptors()).hasSize(disk.extentCount());
            for (int i = 0; i < disk.extentCount(); i++) {
                assertThat(r.descriptors().get(i)).containsExactly(disk.extentEnd(i) - disk.extentStart(i), (long) disk.extentStatus(i));
            }
            // the large holes are single descriptors, more than 4 GiB long: never split
            assertThat(r.descriptors().stream().mapToLong(d -> d[0]).max().getAsLong()).isGreaterThan(1L << 32);
        }
    }

    @Test
    void blockStatus64BitOnAnEmptyTebibyteIsOneDescriptorAndReqOneAnswersTheZeroQuestion() throws Exception {
        start(false);
        try (RawClient c = RawClient.open(server, HeaderMode.EXTENDED, "disk")) {
            RawClient.Result all = c.blockStatus(0, 1L << 40, NbdCommand.FLAG_REQ_ONE);
            assertThat(all.descriptors()).hasSize(1);
            assertThat(all.descriptors().getFirst()).containsExactly(1L << 40, (long) HOLE_ZERO);
            c.write(1L << 39, new byte[] {1});
            RawClient.Result one = c.blockStatus(0, 1L << 40, NbdCommand.FLAG_REQ_ONE);
            assertThat(one.descriptors()).hasSize(1);
            assertThat(one.descriptors().getFirst()).containsExactly(1L << 39, (long) HOLE_ZERO);
        }
    }

    @Test
    void descriptorCountIsCappedAndThePartialAnswerIsConsistent() throws Exception {
        server = NbdServer.builder().export("demo", new DemoBackend(), "", false)
            .options(ServerOptions.defaults().withMaxDescriptors(10)).start();
        DemoDisk disk = DemoDisk.standard();
        try (RawClient c = RawClient.open(server, HeaderMode.EXTENDED, "demo")) {
            RawClient.Result r = c.blockStatus(0, disk.size(), 0);
            assertThat(r.descriptors()).hasSize(10);
            for (int i = 0; i < 10; i++) assertThat(r.descriptors().get(i)[1]).isEqualTo(disk.extentStatus(i));
        }
    }

    @ParameterizedTest
    @EnumSource(value = HeaderMode.class, names = {"STRUCTURED", "EXTENDED"})
    void writeZeroesWithNoHoleKeepsTheRangeAllocated(HeaderMode mode) throws Exception {
        start(false);
        try (RawClient c = RawClient.open(server, mode, "disk")) {
            c.write(0, pattern(1 << 20, 3));
            assertThat(c.zero(0, 256 << 10, NbdCommand.FLAG_NO_HOLE | NbdCommand.FLAG_FAST_ZERO).ok()).isTrue();
            assertThat(c.zero(256 << 10, 256 << 10, NbdCommand.FLAG_FAST_ZERO).ok()).isTrue();
            assertThat(c.cmd(NbdCommand.TRIM.code(), 0, 512 << 10, 256 << 10, null).ok()).isTrue();
            RawClient.Result r = c.blockStatus(0, 1 << 20, 0);
            assertThat(r.descriptors()).extracting(d -> d[1])
                .containsExactly((long) BlockStatusFlags.STATE_ZERO, (long) HOLE_ZERO, 0L);
            assertThat(c.read(0, 768 << 10).data()).containsOnly(0);
        }
    }

    @ParameterizedTest
    @EnumSource(HeaderMode.class)
    void errorsCarryTheRightCodeAndAMessageWhereThePeerCanReceiveOne(HeaderMode mode) throws Exception {
        start(false);
        try (RawClient c = RawClient.open(server, mode, "disk")) {
            expect(c.read((1L << 40) - 512, 1024), NbdError.EINVAL, mode, "runs past the end");
            expect(c.write((1L << 40) - 1, new byte[2]), NbdError.ENOSPC, mode, "runs past the end");
            expect(c.read(0, (32 << 20) + 1), NbdError.EOVERFLOW, mode, "maximum payload");
            expect(c.cmd(42, 0, 0, 0, null), NbdError.EINVAL, mode, "unknown command type 42");
            expect(c.cmd(NbdCommand.FLUSH.code(), 0x100, 0, 0, null), NbdError.EINVAL, mode, "not valid for NBD_CMD_FLUSH");
            if (mode != HeaderMode.SIMPLE) {
                expect(c.blockStatus(0, 0, 0), NbdError.EINVAL, mode, "0 bytes");
            } else {
                expect(c.blockStatus(0, 4096, 0), NbdError.EINVAL, mode, "meta context");
            }
            assertThat(c.read(0, 4096).ok()).as("the connection survives every error").isTrue();
        }
        try (RawClient c = RawClient.open(server, mode, "ro")) {
            expect(c.write(0, new byte[16]), NbdError.EPERM, mode, "read-only");
            expect(c.zero(0, 4096, 0), NbdError.EPERM, mode, "read-only");
            expect(c.cmd(NbdCommand.TRIM.code(), 0, 0, 4096, null), NbdError.EPERM, mode, "read-only");
        }
        try (RawClient c = RawClient.open(server, mode, "demo")) {
            expect(c.read(100, 512), NbdError.EINVAL, mode, "minimum block size 512");
            expect(c.read(512, 100), NbdError.EINVAL, mode, "minimum block size 512");
        }
        assertThat(server.connections()).allSatisfy(r -> assertThat(r.errorsSent()).isPositive());
    }

    private static void expect(RawClient.Result r, NbdError e, HeaderMode mode, String message) {
        assertThat(r.error()).as("error code").isEqualTo(e.code());
        if (mode != HeaderMode.SIMPLE) assertThat(r.message()).contains(message);
    }

    @Test
    void extendedHeadersAllow64BitZeroingOfTheWholeExportInOneRequest() throws Exception {
        start(false);
        try (RawClient c = RawClient.open(server, HeaderMode.EXTENDED, "disk")) {
            c.write(1L << 35, pattern(70_000, 5));
            assertThat(c.zero(0, 1L << 40, NbdCommand.FLAG_FAST_ZERO).ok()).isTrue();
            RawClient.Result r = c.blockStatus(0, 1L << 40, 0);
            assertThat(r.descriptors()).hasSize(1);
            assertThat(r.descriptors().getFirst()).containsExactly(1L << 40, (long) HOLE_ZERO);
            assertThat(r.chunks().getFirst().offset()).as("extended replies echo the request offset").isZero();
        }
    }

    @Test
    void discClosesAfterEarlierRepliesAreSent() throws Exception {
        start(false);
        try (RawClient c = RawClient.open(server, HeaderMode.STRUCTURED, "disk")) {
            c.request(0, NbdCommand.WRITE.code(), 77, 0, 3, new byte[] {1, 2, 3});
            c.disconnect();
            RawClient.Result r = c.result(77, 0, 0, 0);
            assertThat(r.ok()).isTrue();
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawClient c = RawClient.open(server, HeaderMode.SIMPLE, "disk")) {
            assertThat(Arrays.copyOf(c.read(0, 3).data(), 3)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void manyRequestsInFlightAreAnsweredInOrderWithTheirCookies() throws Exception {
        start(false);
        try (RawClient c = RawClient.open(server, HeaderMode.EXTENDED, "disk")) {
            for (int i = 0; i < 200; i++) c.request(0, NbdCommand.WRITE.code(), 1000 + i, i * 4096L, 4096, pattern(4096, i));
            for (int i = 0; i < 200; i++) assertThat(c.result(1000 + i, 0, 0, 0).ok()).isTrue();
            RawClient.Result r = c.read(199 * 4096L, 4096);
            assertThat(r.data()).isEqualTo(pattern(4096, 199));
        }
    }

    @Test
    void tcpUriUsesLoopbackAndPort() throws Exception {
        start(false);
        assumeTrue(server.port() > 0);
        assertThat(server.uri("disk")).isEqualTo("nbd://127.0.0.1:" + server.port() + "/disk");
        assertThat(server.uri()).endsWith("/disk");
    }
}
