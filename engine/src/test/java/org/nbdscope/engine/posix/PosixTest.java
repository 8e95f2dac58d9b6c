package org.nbdscope.engine.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PosixTest {
    @TempDir Path dir;

    @Test
    void seekDataAndHoleFindTheWrittenRange() throws Exception {
        Path f = dir.resolve("sparse.raw");
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
            r.setLength(64L << 20);
            r.seek(8L << 20);
            r.write(new byte[1 << 20]);
        }
        int fd = Posix.open(f.toString(), Posix.O_RDWR);
        try {
            assertThat(Posix.size(fd)).isEqualTo(64L << 20);
            long data = Posix.lseek(fd, 0, Posix.SEEK_DATA);
            long hole = Posix.lseek(fd, data, Posix.SEEK_HOLE);
            // file systems without hole support report all data; both answers are legal
            assertThat(data).isBetween(0L, 8L << 20);
            assertThat(hole).isGreaterThanOrEqualTo(9L << 20);
            try (Arena a = Arena.ofConfined()) {
                MemorySegment buf = a.allocate(4096);
                buf.fill((byte) 7);
                Posix.pwriteFully(fd, buf, 4096);
                MemorySegment back = a.allocate(4096);
                Posix.preadFully(fd, back, 4096);
                assertThat(back.mismatch(buf)).isEqualTo(-1);
            }
            assertThat(Posix.blockDeviceSize(fd)).isEqualTo(-1);
        } finally {
            Posix.close(fd);
        }
    }

    @Test
    void errorsNameTheCallAndErrno() {
        assertThatThrownBy(() -> Posix.open(dir.resolve("missing").toString(), Posix.O_RDONLY))
            .hasMessageContaining("open").hasMessageContaining("No such file or directory");
    }
}
