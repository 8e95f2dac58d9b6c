package org.nbdscope.engine.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.client.ClientOptions;
import org.nbdscope.engine.nbd.client.HeaderMode;
import org.nbdscope.engine.nbd.client.NbdClient;
import org.nbdscope.engine.nbd.client.NbdConnection;
import org.nbdscope.engine.nbd.server.NbdServer;
import org.nbdscope.engine.nbd.server.backend.ByteSize;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.testing.Peer;

/**
 * Exabyte exports over 32-bit block status (no extended headers, so 2^28 and more requests would be
 * needed): the scan starts, streams a first batch and cancels with the rest unknown, against our own
 * server and against nbdkit's {@code null} plugin at 8 EiB - 1.
 */
class HugeExportScanTest {
    @TempDir Path dir;

    /** Starts a scan, waits for its first batch, cancels it and returns the result. */
    static ScanResult firstBatchThenCancel(NbdConnection c) throws Exception {
        CountDownLatch first = new CountDownLatch(1);
        ScanHandle h = ExtentScanner.start(c, ScanOptions.defaults(), (bytes, extents, requests) -> {
            if (bytes > 0) first.countDown();
        });
        assertThat(first.await(60, TimeUnit.SECONDS)).as("a first batch arrives").isTrue();
        h.cancel();
        return h.result().get(60, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "size {0}")
    @ValueSource(longs = {1L << 60, ByteSize.MAX})
    void ownServerWithoutExtendedHeaders(long size) throws Exception {
        try (NbdServer server = NbdServer.builder().tcp(InetAddress.getLoopbackAddress(), 0)
                 .export("huge", new MemoryBackend(size), "", true).extendedHeaders(false).start();
             NbdConnection c = NbdClient.connect(NbdUri.parse(server.uri("huge")), ClientOptions.defaults())) {
            assertThat(c.negotiated().headerMode()).isEqualTo(HeaderMode.STRUCTURED);
            assertThat(c.maxStatusLength()).isLessThan(1L << 32);
            ScanResult r = firstBatchThenCancel(c);
            check(r, size, BlockStatusFlags.STATE_HOLE | BlockStatusFlags.STATE_ZERO);
            System.out.printf("own server, %d bytes: %d block-status requests before the cancel%n",
                size, r.cost().requests(NbdCommand.BLOCK_STATUS));
            // the connection still works after the cancel: the abandoned answers were consumed
            assertThat(c.read(size - 4096, 4096).get(60, TimeUnit.SECONDS)).containsOnly(0);
        }
    }

    @Test
    void nbdkitNullAtEightExbibytesLessOne() throws Exception {
        Peer.require("nbdkit");
        try (Peer p = Peer.start(dir, false, "nbdkit", "-f", "-p", "{port}", "-i", "127.0.0.1", "null", Long.toString(Long.MAX_VALUE));
             NbdConnection c = NbdClient.connect(NbdUri.parse(p.uri()), ClientOptions.defaults().withMetaContexts(List.of(BlockStatusFlags.BASE_ALLOCATION)))) {
            assertThat(c.negotiated().size()).isEqualTo(Long.MAX_VALUE);
            assertThat(c.negotiated().headerMode()).isNotEqualTo(HeaderMode.EXTENDED);
            ScanResult r = firstBatchThenCancel(c);
            // nbdkit's null plugin reads as zeroes and reports them as holes
            check(r, Long.MAX_VALUE, BlockStatusFlags.STATE_HOLE | BlockStatusFlags.STATE_ZERO);
            System.out.printf("nbdkit null 8E-1: %d block-status requests before the cancel%n", r.cost().requests(NbdCommand.BLOCK_STATUS));
        }
    }

    private static void check(ScanResult r, long size, int firstStatus) {
        assertThat(r.outcome()).isEqualTo(ScanResult.Outcome.CANCELLED);
        ExtentMap m = r.map();
        assertThat(m.size()).isEqualTo(size);
        assertThat(m.complete()).as("the map covers the export, the rest unknown").isTrue();
        assertThat(m.statusAt(0)).isEqualTo(firstStatus);
        assertThat(m.statusAt(size - 1)).isEqualTo(ExtentMap.UNKNOWN);
        assertThat(m.totals().toString()).isNotEmpty();
        // a cancel right after the first batch cannot have asked for much of 2^28+ segments
        assertThat(r.cost().requests(NbdCommand.BLOCK_STATUS)).isPositive().isLessThan(1L << 20);
    }
}
