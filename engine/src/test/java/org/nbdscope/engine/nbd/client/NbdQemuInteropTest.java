package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.TransmissionFlags;
import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.testing.Peer;

/** Our client against qemu-nbd 10, which negotiates extended headers: 64-bit block status in one request. */
class NbdQemuInteropTest {
    static final long TIB = 1L << 40;
    @TempDir Path dir;

    /** A sparse raw file of {@code size} with {@code runs} data runs at seeded offsets, one near the end. */
    Path rawFile(long size, int runs) throws Exception {
        Path f = dir.resolve("disk.raw");
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(size);
            Random rnd = new Random(42);
            byte[] block = new byte[64 << 10];
            for (int i = 0; i < runs; i++) {
                long off = Math.floorMod(rnd.nextLong(), size - block.length) & ~0xFFFFL;
                rnd.nextBytes(block);
                raf.seek(off);
                raf.write(block, 0, (1 + rnd.nextInt(block.length / 4096)) * 4096);
            }
            raf.seek(size - 8192);
            raf.write(block, 0, 8192);
        }
        return f;
    }

    Peer qemuNbd(Path file, boolean unix, String... extra) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("qemu-nbd", "-f", "raw", "-t", "-e", "4"));
        cmd.addAll(unix ? List.of("-k", "{socket}") : List.of("-p", "{port}", "-b", "127.0.0.1"));
        cmd.addAll(List.of(extra));
        cmd.add(file.toString());
        return Peer.start(dir, unix, cmd.toArray(String[]::new));
    }

    @Test
    void oneBlockStatusRequestCoversATebibyte() throws Exception {
        try (Peer p = qemuNbd(rawFile(TIB, 20), false);
             NbdConnection c = NbdClient.connect(NbdUri.parse(p.uri()), ClientOptions.defaults())) {
            Negotiated n = c.negotiated();
            assertThat(n.headerMode()).isEqualTo(HeaderMode.EXTENDED);
            assertThat(n.size()).isEqualTo(TIB);
            assertThat(n.blockSizeSent()).isTrue();
            assertThat(c.maxStatusLength()).isEqualTo(TIB);
            ScanResult r = ExtentScanner.scan(c, ScanOptions.defaults());
            assertThat(r.complete()).isTrue();
            assertThat(r.cost().requests(NbdCommand.BLOCK_STATUS)).isEqualTo(1);
            assertThat(r.cost().roundTrips()).isEqualTo(1);
            assertThat(r.map().count()).isGreaterThan(20);
            assertThat(MapCheck.ours(c)).isEqualTo(MapCheck.nbdinfo(p.uri()));
        }
    }

    @Test
    void structuredRepliesWhenExtendedHeadersAreNotAskedFor() throws Exception {
        try (Peer p = qemuNbd(rawFile(64L << 30, 10), false);
             NbdConnection c = NbdClient.connect(NbdUri.parse(p.uri()), ClientOptions.defaults().withMaxHeaderMode(HeaderMode.STRUCTURED))) {
            assertThat(c.negotiated().headerMode()).isEqualTo(HeaderMode.STRUCTURED);
            ScanResult r = ExtentScanner.scan(c, ScanOptions.defaults());
            assertThat(r.cost().requests(NbdCommand.BLOCK_STATUS)).isGreaterThanOrEqualTo(16);
            assertThat(MapCheck.ours(c)).isEqualTo(MapCheck.nbdinfo(p.uri()));
        }
    }

    @Test
    void fastZeroOfATebibyteInOneRequestThenReqOneSaysZero() throws Exception {
        // --discard=unmap lets qemu punch holes; without it, zeroing 1 TiB would allocate it
        try (Peer p = qemuNbd(rawFile(TIB, 5), true, "--discard=unmap");
             NbdConnection c = NbdClient.connect(NbdUri.parse(p.uri()), ClientOptions.defaults())) {
            assertThat(c.negotiated().has(TransmissionFlags.SEND_FAST_ZERO)).isTrue();
            ExtentBatch before = c.blockStatus(BlockStatusFlags.BASE_ALLOCATION, 0, TIB, true).get();
            assertThat(before.count()).isEqualTo(1);
            c.writeZeroes(0, TIB, NbdCommand.FLAG_FAST_ZERO).get();
            assertThat(c.stats().requests(NbdCommand.WRITE_ZEROES)).isEqualTo(1);
            ExtentBatch after = c.blockStatus(BlockStatusFlags.BASE_ALLOCATION, 0, TIB, true).get();
            assertThat(after.count()).isEqualTo(1);
            assertThat(after.lengths()[0]).isEqualTo(TIB);
            assertThat(after.status()[0] & BlockStatusFlags.STATE_ZERO).isNotZero();
            assertThat(c.read(TIB - 8192, 8192).get()).containsOnly(0);
        }
    }

    @Test
    void allocationDepthAlongsideBaseAllocation() throws Exception {
        ClientOptions o = ClientOptions.defaults().withListContexts(true)
            .withMetaContexts(List.of(BlockStatusFlags.BASE_ALLOCATION, BlockStatusFlags.QEMU_ALLOCATION_DEPTH));
        try (Peer p = qemuNbd(rawFile(1L << 30, 3), false, "-A");
             NbdConnection c = NbdClient.connect(NbdUri.parse(p.uri()), o)) {
            assertThat(c.negotiated().availableContexts()).contains("base:allocation", "qemu:allocation-depth");
            assertThat(c.contexts()).containsExactly("base:allocation", "qemu:allocation-depth");
            BlockStatus s = c.blockStatus(0, 1L << 30, 0).get();
            assertThat(s.contexts()).containsOnlyKeys("base:allocation", "qemu:allocation-depth");
            assertThat(s.get("qemu:allocation-depth").covered()).isPositive();
            ExtentBatch depth = c.blockStatus("qemu:allocation-depth", 0, 1L << 30, false).get();
            assertThat(depth.status()[0]).isIn(0L, 1L);
        }
    }

    @Test
    void dirtyBitmapContext() throws Exception {
        Path img = dir.resolve("d.qcow2");
        java.time.Duration t = java.time.Duration.ofSeconds(30);
        Peer.run(t, "qemu-img", "create", "-q", "-f", "qcow2", img.toString(), "64M");
        Peer.run(t, "qemu-img", "bitmap", "--add", img.toString(), "b0");
        Peer.run(t, "qemu-io", "-c", "write 1M 64k", img.toString());
        ClientOptions o = ClientOptions.defaults().withMetaContexts(List.of("base:allocation", "qemu:dirty-bitmap:b0"));
        try (Peer p = Peer.start(dir, false, "qemu-nbd", "-f", "qcow2", "-t", "-e", "4", "-p", "{port}", "-b", "127.0.0.1",
            "-B", "b0", img.toString());
             NbdConnection c = NbdClient.connect(NbdUri.parse(p.uri()), o)) {
            assertThat(c.contexts()).containsExactly("base:allocation", "qemu:dirty-bitmap:b0");
            ExtentBatch dirty = c.blockStatus("qemu:dirty-bitmap:b0", 0, 64 << 20, false).get();
            assertThat(dirty.count()).isEqualTo(3);
            assertThat(dirty.lengths()).startsWith(1 << 20, 65536, (64 << 20) - (1 << 20) - 65536);
            assertThat(dirty.status()).startsWith(0, 1, 0);
        }
    }

    @Test
    void listWithNameAndDescription() throws Exception {
        try (Peer p = qemuNbd(rawFile(1 << 20, 1), false, "-x", "disk0", "-D", "a raw disk")) {
            assertThat(NbdClient.list(NbdUri.parse(p.uri()), ClientOptions.defaults()))
                .containsExactly(new ExportEntry("disk0", "a raw disk"));
            try (NbdConnection c = NbdClient.connect(NbdUri.parse(p.uri("disk0")), ClientOptions.defaults())) {
                assertThat(c.negotiated().description()).isEqualTo("a raw disk");
                assertThat(c.negotiated().exportName()).isEqualTo("disk0");
            }
        }
    }
}
