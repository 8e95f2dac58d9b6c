package org.nbdscope.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.posix.Posix;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.source.SourceException;

class RawImageTest {
    private static final long MIB = 1 << 20;
    @TempDir Path dir;

    /** 16 MiB: hole, 1 MiB random data, 1 MiB of written zeroes, half data half zero MiB, hole to the end. */
    private Path sparse() throws Exception {
        Path p = dir.resolve("disk.raw");
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(16 * MIB);
            byte[] data = new byte[(int) MIB];
            Arrays.fill(data, (byte) 0x5a);
            f.seek(4 * MIB);
            f.write(data);
            f.write(new byte[(int) MIB]);
            f.write(data, 0, (int) (MIB / 2));
            f.write(new byte[(int) (MIB / 2)]);
        }
        return p;
    }

    private static boolean holesSupported(Path p) throws Exception {
        int fd = Posix.open(p.toString(), Posix.O_RDONLY);
        try {
            return Posix.lseek(fd, 0, Posix.SEEK_DATA) > 0;
        } finally {
            Posix.close(fd);
        }
    }

    private static List<String> scan(ImageSource s) {
        ScanResult r = ExtentScanner.scan(s, ScanOptions.defaults().withInFlight(s.preferredInFlight()));
        assertThat(r.outcome()).isEqualTo(ScanResult.Outcome.COMPLETE);
        return QemuMapInteropTest.dump(r.map());
    }

    @Test
    void holesAndDataFromSeek() throws Exception {
        Path p = sparse();
        try (ImageSource s = ImageSources.open(p, ImageOptions.defaults())) {
            assertThat(s.format()).isEqualTo("raw");
            assertThat(s.size()).isEqualTo(16 * MIB);
            assertThat(s.readOnly()).isTrue();
            assertThat(s.contexts()).containsExactly(BlockStatusFlags.BASE_ALLOCATION);
            List<String> extents = scan(s);
            if (holesSupported(p)) {
                assertThat(extents).containsExactly("0+" + 4 * MIB + ":3", 4 * MIB + "+" + 3 * MIB + ":0", 7 * MIB + "+" + 9 * MIB + ":3");
            } else {
                assertThat(extents).containsExactly("0+" + 16 * MIB + ":0");
            }
            assertThat(s.stats().requests(NbdCommand.BLOCK_STATUS)).isPositive();
            assertThat(s.details().get("Format")).isEqualTo("raw");
        }
    }

    @Test
    void detectZeroesSplitsAllocatedZeroes() throws Exception {
        Path p = sparse();
        try (ImageSource s = ImageSources.open(p, ImageOptions.defaults().withDetectZeroes(true))) {
            List<String> extents = scan(s);
            if (holesSupported(p)) {
                assertThat(extents).containsExactly("0+" + 4 * MIB + ":3", 4 * MIB + "+" + MIB + ":0", 5 * MIB + "+" + MIB + ":2",
                    6 * MIB + "+" + MIB / 2 + ":0", 6 * MIB + MIB / 2 + "+" + MIB / 2 + ":2", 7 * MIB + "+" + 9 * MIB + ":3");
            } else {
                assertThat(extents).contains(5 * MIB + "+" + MIB + ":2");
            }
            assertThat(s.stats().bytesReceived()).isGreaterThanOrEqualTo(3 * MIB);
            assertThat(s.details().get("Detect zeroes")).startsWith("on");
        }
    }

    @Test
    void detectZeroesJudgesFourKibBlocks() throws Exception {
        Path p = dir.resolve("blocks.raw");
        byte[] b = new byte[64 << 10];
        b[4096 + 17] = 1;                      // block 1 has data
        b[5 * 4096] = 1;                       // block 5
        b[6 * 4096 + 4095] = 1;                // block 6
        Files.write(p, b);
        try (ImageSource s = ImageSources.open(p, ImageOptions.defaults().withDetectZeroes(true))) {
            assertThat(scan(s)).containsExactly("0+4096:2", "4096+4096:0", "8192+12288:2", "20480+8192:0", "28672+36864:2");
        }
    }

    @Test
    void reqOneAnswersOneExtentAndEveryAnswerStartsAtTheOffset() throws Exception {
        Path p = sparse();
        try (ImageSource s = ImageSources.open(p, ImageOptions.defaults())) {
            ExtentBatch one = s.blockStatus(BlockStatusFlags.BASE_ALLOCATION, 4 * MIB + 100, 10 * MIB, true).join();
            assertThat(one.count()).isEqualTo(1);
            assertThat(one.offset()).isEqualTo(4 * MIB + 100);
            ExtentBatch tail = s.blockStatus(BlockStatusFlags.BASE_ALLOCATION, 15 * MIB, 100 * MIB, false).join();
            assertThat(tail.end()).isEqualTo(16 * MIB);
        }
    }

    @Test
    void refusesOtherContextsAndRangesOutside() throws Exception {
        Path p = sparse();
        try (ImageSource s = ImageSources.open(p, ImageOptions.defaults())) {
            assertThatThrownBy(() -> s.blockStatus("qemu:dirty-bitmap:x", 0, 4096, false).join())
                .isInstanceOf(CompletionException.class).hasCauseInstanceOf(SourceException.class)
                .hasMessageContaining("qemu:dirty-bitmap:x");
            assertThatThrownBy(() -> s.blockStatus(BlockStatusFlags.BASE_ALLOCATION, 16 * MIB, 4096, false).join())
                .hasCauseInstanceOf(SourceException.class).hasMessageContaining("outside the image");
        }
    }

    @Test
    void closedSourceFailsCleanly() throws Exception {
        ImageSource s = ImageSources.open(sparse(), ImageOptions.defaults());
        s.close();
        s.close();
        assertThatThrownBy(() -> s.blockStatus(BlockStatusFlags.BASE_ALLOCATION, 0, 4096, false).join())
            .hasCauseInstanceOf(SourceException.class).hasMessageContaining("closed");
    }

    @Test
    void unknownStatusNeverAppearsForRaw() throws Exception {
        try (ImageSource s = ImageSources.open(sparse(), ImageOptions.standalone())) {
            ScanResult r = ExtentScanner.scan(s, ScanOptions.defaults());
            assertThat(r.map().totals().bytes(org.nbdscope.engine.extent.ExtentKind.UNKNOWN)).isZero();
            assertThat(r.map().statusAt(0)).isNotEqualTo(ExtentMap.UNKNOWN);
        }
    }
}
