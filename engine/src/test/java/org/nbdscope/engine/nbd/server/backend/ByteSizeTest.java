package org.nbdscope.engine.nbd.server.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;

import org.junit.jupiter.api.Test;

class ByteSizeTest {
    @Test
    void parsesUnits() {
        assertThat(ByteSize.parse("1T")).isEqualTo(1L << 40);
        assertThat(ByteSize.parse("64G")).isEqualTo(64L << 30);
        assertThat(ByteSize.parse("512M")).isEqualTo(512L << 20);
        assertThat(ByteSize.parse("4k")).isEqualTo(4096);
        assertThat(ByteSize.parse("1GiB")).isEqualTo(1L << 30);
        assertThat(ByteSize.parse("2MB")).isEqualTo(2L << 20);
        assertThat(ByteSize.parse("1048576")).isEqualTo(1 << 20);
        assertThat(ByteSize.parse("7E")).isEqualTo(7L << 60);
    }

    @Test
    void refusesNonsenseWithTheTextNamed() {
        assertThatThrownBy(() -> ByteSize.parse("lots")).hasMessageContaining("'lots' is not a size");
        assertThatThrownBy(() -> ByteSize.parse("1X")).hasMessageContaining("'1X'");
        assertThatThrownBy(() -> ByteSize.parse("0")).hasMessageContaining("greater than zero");
        assertThatThrownBy(() -> ByteSize.parse("8E")).hasMessageContaining("too large");
    }

    @Test
    void formats() {
        assertThat(ByteSize.format(1L << 40)).isEqualTo("1 TiB");
        assertThat(ByteSize.format(3L << 29)).isEqualTo("1.5 GiB");
        assertThat(ByteSize.format(100)).isEqualTo("100 bytes");
    }

    @Test
    void targets() throws IOException {
        try (Backend b = Backends.open("memory:1T", false)) {
            assertThat(b).isInstanceOf(MemoryBackend.class);
            assertThat(b.size()).isEqualTo(1L << 40);
        }
        try (Backend b = Backends.open("demo", false)) {
            assertThat(b.writable()).isFalse();
        }
        assertThatThrownBy(() -> Backends.open("memory:huge", false)).hasMessageContaining("bad target 'memory:huge'");
        assertThatThrownBy(() -> Backends.open("/no/such/file", false)).hasMessageContaining("no such file");
        assertThat(Backends.defaultName("/tmp/disk.raw")).isEqualTo("disk.raw");
        assertThat(Backends.defaultName("memory:1G")).isEqualTo("memory");
    }
}
