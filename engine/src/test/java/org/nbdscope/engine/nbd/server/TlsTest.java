package org.nbdscope.engine.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.NbdOptionReply;
import org.nbdscope.engine.testing.TestCertificates;

/** STARTTLS with a Netty SslHandler; with TLS configured the server requires it (FORCEDTLS). */
class TlsTest {
    @TempDir static Path dir;
    private static TestCertificates certs;
    private NbdServer server;

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.create(dir.resolve("pki"));
    }

    @BeforeEach
    void start() throws Exception {
        server = NbdServer.builder().export("x", new MemoryBackend(1L << 30), "", false)
            .tls(certs.serverCert(), certs.serverKey()).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everyOptionButStartTlsIsRefusedBeforeTls() throws Exception {
        assertThat(server.uri("x")).startsWith("nbds://127.0.0.1:");
        try (RawClient c = RawClient.connect(server)) {
            for (NbdOption o : new NbdOption[] {NbdOption.LIST, NbdOption.STRUCTURED_REPLY}) {
                RawClient.OptReply r = c.send(o, new byte[0]).getLast();
                assertThat(r.type()).isEqualTo(NbdOptionReply.ERR_TLS_REQD.code());
                assertThat(r.text()).contains("requires TLS");
            }
            assertThat(c.go("x").getLast().type()).isEqualTo(NbdOptionReply.ERR_TLS_REQD.code());
        }
        try (RawClient c = RawClient.connect(server)) {
            c.option(NbdOption.EXPORT_NAME.code(), "x".getBytes(StandardCharsets.UTF_8));
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void afterStartTlsEverythingWorksOverTls() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            assertThat(c.startTls().type()).isEqualTo(NbdOptionReply.ACK.code());
            RawClient.OptReply again = c.send(NbdOption.STARTTLS, new byte[0]).getLast();
            assertThat(again.type()).isEqualTo(NbdOptionReply.ERR_INVALID.code());
            assertThat(c.extendedHeaders()).isTrue();
            c.setMeta("x", "base:allocation");
            assertThat(c.go("x").getLast().type()).isEqualTo(NbdOptionReply.ACK.code());
            assertThat(c.write(4096, new byte[] {4, 5, 6}).ok()).isTrue();
            assertThat(c.read(4096, 3).data()).containsExactly(4, 5, 6);
            assertThat(c.blockStatus(0, 1L << 30, 0).descriptors()).hasSize(2);
        }
        ConnectionRecord r = server.connections().getLast();
        assertThat(r.tls()).isTrue();
        assertThat(r.headerMode()).isEqualTo(HeaderMode.EXTENDED);
    }

    @Test
    void negotiationBeforeStartTlsIsForgotten() throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            c.startTls();
            c.go("x");
            assertThat(c.mode).isEqualTo(HeaderMode.SIMPLE);
            assertThat(c.read(0, 8).data()).containsOnly(0);
        }
        assertThat(server.connections().getLast().headerMode()).isEqualTo(HeaderMode.SIMPLE);
    }
}
