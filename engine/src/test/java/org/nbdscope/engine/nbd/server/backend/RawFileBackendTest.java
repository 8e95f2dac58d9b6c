package org.nbdscope.engine.nbd.server.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.proto.NbdError;
import org.nbdscope.engine.proto.NbdInfo;

class RawFileBackendTest {
    @TempDir Path dir;

    private Path sparse(long size, long... dataAt) throws Exception {
        Path f = dir.resolve("f" + System.nanoTime() + ".raw");
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(size);
            for (long at : dataAt) {
                r.seek(at);
                r.write(new byte[] {1, 2, 3, 4});
            }
        }
        return f;
    }

    @Test
    void holesAndDataComeFromSeekDataAndSeekHole() throws Exception {
        try (RawFileBackend b = RawFileBackend.open(sparse(256L << 20, 64L << 20), false)) {
            var ex = MemoryBackendTest.extents(b, 0);
            assertThat(ex.stream().mapToLong(e -> e[0]).sum()).isEqualTo(256L << 20);
            assertThat(ex).extracting(e -> e[1]).containsExactly(3L, 0L, 3L);
            assertThat(b.initState()).isZero();
            ByteBuffer d = ByteBuffer.allocateDirect(4);
            b.read(64L << 20, d);
            assertThat(d.flip().get(3)).isEqualTo((byte) 4);
            ByteBuffer heap = ByteBuffer.allocate(4);
            b.read(64L << 20, heap);
            assertThat(heap.array()).containsExactly(1, 2, 3, 4);
            assertThat(b.zero(0, 256L << 20, true, true)).isTrue();
            assertThat(b.initState()).isEqualTo(NbdInfo.INIT_ZERO | NbdInfo.INIT_SPARSE);
            b.write(4096, ByteBuffer.wrap(new byte[] {9, 9}));
            b.flush();
            assertThat(b.initState()).isZero();
        }
    }

    @Test
    void readOnlyRefusesWritesAndAnUnwritableFileIsNotSilentlyDowngraded() throws Exception {
        Path f = sparse(1 << 20);
        try (RawFileBackend b = RawFileBackend.open(f, true)) {
            assertThat(b.writable()).isFalse();
            assertThatThrownBy(() -> b.write(0, ByteBuffer.allocate(1)))
                .isInstanceOfSatisfying(BackendException.class, e -> assertThat(e.error()).isEqualTo(NbdError.EPERM));
        }
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("r--r--r--"));
        if (!"root".equals(System.getProperty("user.name"))) {
            assertThatThrownBy(() -> RawFileBackend.open(f, false)).hasMessageContaining("--read-only");
        }
    }

    @Test
    void emptyFilesAndDirectoriesAreRefused() throws Exception {
        assertThatThrownBy(() -> RawFileBackend.open(sparse(0), false)).hasMessageContaining("empty");
        assertThatThrownBy(() -> RawFileBackend.open(dir, false)).hasMessageContaining("directory");
    }
}
