package org.nbdscope.engine.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.nbd.server.backend.Backend;
import org.nbdscope.engine.nbd.server.backend.BlockSizes;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.nbd.server.backend.RawFileBackend;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdError;

/** FAST_ZERO succeeds only where zeroing is cheap, and otherwise fails at once with ENOTSUP, changing nothing. */
class FastZeroTest {
    @TempDir Path dir;
    private NbdServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private RawClient open(Backend b) throws Exception {
        server = NbdServer.builder().export("x", b, "", false).start();
        return RawClient.open(server, HeaderMode.EXTENDED, "x");
    }

    @Test
    void memoryDropsBlocks() throws Exception {
        MemoryBackend m = new MemoryBackend(1L << 40);
        try (RawClient c = open(m)) {
            c.write(0, new byte[1 << 20]);
            c.write(1L << 39, new byte[] {7});
            assertThat(c.zero(0, 1L << 40, NbdCommand.FLAG_FAST_ZERO).ok()).isTrue();
            assertThat(m.allocatedBytes()).isZero();
        }
    }

    @Test
    void rawFilePunchesAHole() throws Exception {
        Path f = dir.resolve("disk.raw");
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(64L << 20);
            r.seek(1 << 20);
            r.write(new byte[4 << 20]);
            r.getFD().sync();
        }
        try (RawClient c = open(RawFileBackend.open(f, false))) {
            c.write(1 << 20, new byte[] {1, 2, 3});
            RawClient.Result r = c.zero(0, 64L << 20, NbdCommand.FLAG_FAST_ZERO);
            assertThat(r.ok()).as(String.valueOf(r.message())).isTrue();
            assertThat(c.read(1 << 20, 4096).data()).containsOnly(0);
        }
    }

    @Test
    void rawFileOnTmpfsCannotZeroWithoutAHoleCheaply() throws Exception {
        Path shm = Path.of("/dev/shm");
        assumeTrue(Files.isDirectory(shm) && Files.getFileStore(shm).type().equals("tmpfs"), "needs /dev/shm on tmpfs");
        Path f = Files.createTempFile(shm, "nbdscope-fastzero", ".raw");
        try {
            try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
                r.setLength(8L << 20);
                r.write(new byte[] {5, 5, 5, 5});
            }
            try (RawClient c = open(RawFileBackend.open(f, false))) {
                // tmpfs has no FALLOC_FL_ZERO_RANGE: keeping the range allocated means writing zeroes
                RawClient.Result slow = c.zero(0, 8L << 20, NbdCommand.FLAG_FAST_ZERO | NbdCommand.FLAG_NO_HOLE);
                assertThat(slow.error()).isEqualTo(NbdError.ENOTSUP.code());
                assertThat(slow.message()).contains("no faster than writing");
                assertThat(c.read(0, 4).data()).as("a refused fast zero changes nothing").containsExactly(5, 5, 5, 5);
                assertThat(c.zero(0, 8L << 20, NbdCommand.FLAG_NO_HOLE).ok()).as("without FAST_ZERO it writes zeroes").isTrue();
                assertThat(c.read(0, 4).data()).containsOnly(0);
                assertThat(c.zero(0, 8L << 20, NbdCommand.FLAG_FAST_ZERO).ok()).as("a hole punch is cheap on tmpfs").isTrue();
            }
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    void backendWhereZeroingIsWritingRefusesFastZeroAtOnce() throws Exception {
        WritingZeroes b = new WritingZeroes(new MemoryBackend(1L << 30));
        try (RawClient c = open(b)) {
            c.write(0, new byte[] {9});
            RawClient.Result r = c.zero(0, 1L << 30, NbdCommand.FLAG_FAST_ZERO);
            assertThat(r.error()).isEqualTo(NbdError.ENOTSUP.code());
            assertThat(b.slowZeroes).isZero();
            assertThat(c.read(0, 1).data()).containsExactly(9);
            assertThat(c.zero(0, 1 << 20, 0).ok()).isTrue();
            assertThat(b.slowZeroes).isEqualTo(1);
        }
    }

    @Test
    void fastZeroNotAdvertisedIsInvalid() throws Exception {
        server = NbdServer.builder().export("x", new MemoryBackend(1 << 20), "", false).fastZero(false).start();
        try (RawClient c = RawClient.open(server, HeaderMode.STRUCTURED, "x")) {
            RawClient.Result r = c.zero(0, 4096, NbdCommand.FLAG_FAST_ZERO);
            assertThat(r.error()).isEqualTo(NbdError.EINVAL.code());
            assertThat(r.message()).contains("--no-fast-zero");
        }
    }

    /** Like nbdkit's nozero filter: zeroing is done by writing zeroes, so it is never fast. */
    private static final class WritingZeroes implements Backend {
        private final MemoryBackend inner;
        int slowZeroes;

        WritingZeroes(MemoryBackend inner) { this.inner = inner; }

        @Override public long size() { return inner.size(); }

        @Override public boolean writable() { return true; }

        @Override public BlockSizes blockSizes() { return inner.blockSizes(); }

        @Override public void read(long offset, ByteBuffer dst) { inner.read(offset, dst); }

        @Override public void write(long offset, ByteBuffer src) { inner.write(offset, src); }

        @Override
        public boolean zero(long offset, long length, boolean mayPunch, boolean fastOnly) {
            if (fastOnly) return false;
            slowZeroes++;
            for (long done = 0; done < length; done += 65536) {
                inner.write(offset + done, ByteBuffer.allocate((int) Math.min(65536, length - done)));
            }
            return true;
        }

        @Override public void trim(long offset, long length) {}

        @Override public void flush() {}

        @Override public void extents(long offset, ExtentSink sink) { inner.extents(offset, sink); }

        @Override public int initState() { return inner.initState(); }

        @Override public String description() { return "a disk that zeroes by writing"; }

        @Override public void close() throws IOException { inner.close(); }
    }
}
