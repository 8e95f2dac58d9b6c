package org.nbdscope.engine.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.demo.DemoDisk;

class EmbeddedServerTest {
    @Test
    void demoOnLoopback() throws Exception {
        try (NbdServer s = EmbeddedServer.startDemo()) {
            assertThat(s.uri()).startsWith("nbd://127.0.0.1:").endsWith("/demo");
            try (RawClient c = RawClient.open(s, HeaderMode.EXTENDED, EmbeddedServer.DEMO_EXPORT)) {
                assertThat(c.exportSize).isEqualTo(DemoDisk.SIZE);
                assertThat(c.blockStatus(0, DemoDisk.SIZE, 0).descriptors()).hasSize(DemoDisk.standard().extentCount());
            }
        }
    }

    @Test
    void demoOnAPrivateUnixSocketIsRemovedOnClose() throws Exception {
        Path sock;
        try (NbdServer s = EmbeddedServer.startDemoOnUnixSocket()) {
            sock = s.socketPath();
            assertThat(Files.exists(sock)).isTrue();
            assertThat(s.uri()).isEqualTo("nbd+unix:///demo?socket=" + sock);
            try (RawClient c = RawClient.open(s, HeaderMode.STRUCTURED, "demo")) {
                assertThat(c.read(0, 512).data()[511]).isEqualTo((byte) 0xAA);
            }
        }
        assertThat(Files.exists(sock)).isFalse();
    }

    @Test
    void aStaleSocketFileIsReplacedButALiveOneIsNot() throws Exception {
        Path dir = Files.createTempDirectory("nbdscope-test");
        Path sock = dir.resolve("s.sock");
        Files.createFile(sock);
        try (NbdServer s = NbdServer.builder().export("x", new org.nbdscope.engine.nbd.server.backend.MemoryBackend(1 << 20)).unixSocket(sock).start()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> NbdServer.builder()
                    .export("y", new org.nbdscope.engine.nbd.server.backend.MemoryBackend(1 << 20)).unixSocket(sock).start())
                .hasMessageContaining("in use by a running server");
            try (RawClient c = RawClient.open(s, HeaderMode.SIMPLE, "x")) {
                assertThat(c.read(0, 8).ok()).as("the running server keeps its socket").isTrue();
            }
        }
        Files.deleteIfExists(dir);
    }
}
