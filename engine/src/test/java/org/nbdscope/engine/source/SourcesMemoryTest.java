package org.nbdscope.engine.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.nbd.client.NbdConnection;
import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.scan.ScanResult;

class SourcesMemoryTest {
    @Test
    void memoryTargetIsANewWritableSparseDiskOnTheBuiltInServer() throws Exception {
        try (BlockSource src = Sources.open("memory:1G", OpenOptions.defaults())) {
            NbdConnection c = (NbdConnection) src;
            assertThat(src.size()).isEqualTo(1L << 30);
            assertThat(src.readOnly()).isFalse();
            assertThat(c.name()).isEqualTo("memory:1G");
            assertThat(c.uri().exportName()).isEqualTo(Sources.MEMORY_EXPORT);

            ScanResult empty = ExtentScanner.scan(src, ScanOptions.defaults());
            assertThat(empty.map().count()).isEqualTo(1);
            assertThat(ExtentKind.of(empty.map().status(0))).isEqualTo(ExtentKind.HOLE);

            byte[] data = new byte[65536];
            Arrays.fill(data, (byte) 0x5a);
            c.write(1L << 20, data, 0).get();
            assertThat(c.read(1L << 20, data.length).get()).isEqualTo(data);
            ScanResult written = ExtentScanner.scan(src, ScanOptions.defaults());
            assertThat(written.map().totals().bytes(ExtentKind.DATA)).isEqualTo(data.length);
        }
    }

    @Test
    void eachMemoryTargetIsItsOwnDisk() throws Exception {
        try (NbdConnection a = (NbdConnection) Sources.open("memory:64M", OpenOptions.defaults());
             NbdConnection b = (NbdConnection) Sources.open("memory:64M", OpenOptions.defaults())) {
            a.write(0, new byte[] {1, 2, 3, 4}, 0).get();
            assertThat(b.read(0, 4).get()).containsExactly(0, 0, 0, 0);
        }
    }

    @Test
    void closingLeavesNoSocketOrPrivateDirectoryBehind() {
        Path socket;
        try (NbdConnection c = (NbdConnection) Sources.open("memory:1M", OpenOptions.defaults())) {
            socket = Path.of(c.uri().socketPath());
            assertThat(socket).exists();
            assertThat(socket.getParent().getFileName().toString()).startsWith("nbdscope-");
        }
        assertThat(socket).doesNotExist();
        assertThat(socket.getParent()).doesNotExist();
    }

    @Test
    void aBadSizeIsNamed() {
        assertThatThrownBy(() -> Sources.open("memory:lots", OpenOptions.defaults()))
            .isInstanceOf(SourceException.class)
            .hasMessageContaining("bad target 'memory:lots'")
            .hasMessageContaining("memory:1G");
    }
}
