package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.testing.Peer;

/**
 * STARTTLS against {@code nbdkit --tls=require} with a test CA and server certificate made by
 * netty-pkitesting: nbds gets TLS or fails, never a plain connection.
 */
class NbdTlsTest {
    @TempDir static Path pki;
    @TempDir Path dir;
    static Path good;
    static Path otherCa;

    @BeforeAll
    static void certificates() throws Exception {
        good = Files.createDirectory(pki.resolve("good"));
        X509Bundle ca = new CertificateBuilder().subject("CN=nbdscope test CA").setIsCertificateAuthority(true).ecp256().buildSelfSigned();
        // RSA: GnuTLS cannot load the JDK's PKCS#8 EC keys, which leave out the public key
        X509Bundle server = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost").addSanIpAddress("127.0.0.1")
            .setKeyUsage(true, CertificateBuilder.KeyUsage.digitalSignature, CertificateBuilder.KeyUsage.keyEncipherment).addExtendedKeyUsageServerAuth().rsa2048().buildIssuedBy(ca);
        Files.writeString(good.resolve("ca-cert.pem"), ca.getCertificatePEM());
        Files.writeString(good.resolve("server-cert.pem"), server.getCertificatePEM());
        Files.writeString(good.resolve("server-key.pem"), server.getPrivateKeyPEM());
        otherCa = pki.resolve("other-ca.pem");
        Files.writeString(otherCa, new CertificateBuilder().subject("CN=someone else").setIsCertificateAuthority(true).ecp256()
            .buildSelfSigned().getCertificatePEM());
    }

    Peer nbdkit(boolean unix, String... tls) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("nbdkit", "-f"));
        cmd.addAll(unix ? List.of("-U", "{socket}") : List.of("-p", "{port}", "-i", "127.0.0.1"));
        cmd.addAll(List.of(tls));
        cmd.addAll(List.of("memory", "8M"));
        return Peer.start(dir, unix, cmd.toArray(String[]::new));
    }

    static String nbds(Peer p, String query) {
        return "nbds://127.0.0.1:" + p.port + "/?" + query;
    }

    @Test
    void tlsWithTheRightCa() throws Exception {
        try (Peer p = nbdkit(false, "--tls=require", "--tls-certificates=" + good);
             NbdConnection c = NbdClient.connect(NbdUri.parse(nbds(p, "tls-certificates=" + good)), ClientOptions.defaults())) {
            Negotiated n = c.negotiated();
            assertThat(n.tls()).isTrue();
            assertThat(n.headerMode()).isEqualTo(HeaderMode.STRUCTURED);
            assertThat(n.metaContexts()).containsKey("base:allocation");
            assertThat(c.details().get("TLS")).isEqualTo("yes");
            byte[] data = new byte[1 << 20];
            new java.util.Random(5).nextBytes(data);
            c.write(4096, data, 0).get();
            assertThat(c.read(4096, data.length).get()).isEqualTo(data);
            assertThat(c.blockStatus("base:allocation", 0, 8 << 20, false).get().covered()).isPositive();
            assertThat(c.stats().bytesSent()).as("TLS records cost more than the payload").isGreaterThan(data.length + 28);
            assertThat(c.stats().requests(NbdCommand.WRITE)).isEqualTo(1);
        }
    }

    @Test
    void caFileInsteadOfDirectoryAndListOverTls() throws Exception {
        try (Peer p = nbdkit(false, "--tls=require", "--tls-certificates=" + good)) {
            NbdUri u = NbdUri.parse(nbds(p, "tls-certificates=" + good.resolve("ca-cert.pem")));
            assertThat(NbdClient.list(u, ClientOptions.defaults())).extracting(ExportEntry::name).containsExactly("");
        }
    }

    @Test
    void unixSocketVerifiesTheChainWithoutAHostName() throws Exception {
        try (Peer p = nbdkit(true, "--tls=require", "--tls-certificates=" + good);
             NbdConnection c = NbdClient.connect(NbdUri.parse("nbds+unix:///?socket=" + p.socket + "&tls-certificates=" + good),
                 ClientOptions.defaults())) {
            assertThat(c.negotiated().tls()).isTrue();
        }
    }

    @Test
    void plainNbdAgainstATlsOnlyServerFailsAndSaysWhy() throws Exception {
        try (Peer p = nbdkit(false, "--tls=require", "--tls-certificates=" + good)) {
            assertThatThrownBy(() -> NbdClient.connect(NbdUri.parse(p.uri()), ClientOptions.defaults()))
                .isInstanceOf(NbdOptionException.class).hasMessageContaining("requires TLS; use an nbds:// URI");
        }
    }

    @Test
    void untrustedCertificateFails() throws Exception {
        try (Peer p = nbdkit(false, "--tls=require", "--tls-certificates=" + good)) {
            assertThatThrownBy(() -> NbdClient.connect(NbdUri.parse(nbds(p, "tls-certificates=" + otherCa)), ClientOptions.defaults()))
                .hasMessageContaining("TLS handshake with 127.0.0.1:" + p.port + " failed");
        }
    }

    @Test
    void wrongHostNameFails() throws Exception {
        try (Peer p = nbdkit(false, "--tls=require", "--tls-certificates=" + good)) {
            assertThatThrownBy(() -> NbdClient.connect(NbdUri.parse(nbds(p, "tls-certificates=" + good + "&tls-hostname=wrong.example")),
                ClientOptions.defaults())).hasMessageContaining("TLS handshake").hasMessageContaining("wrong.example");
        }
    }

    @Test
    void verifyPeerOffAcceptsAnyCertificate() throws Exception {
        try (Peer p = nbdkit(false, "--tls=require", "--tls-certificates=" + good);
             NbdConnection c = NbdClient.connect(NbdUri.parse(nbds(p, "tls-verify-peer=0")), ClientOptions.defaults())) {
            assertThat(c.negotiated().tls()).isTrue();
        }
    }

    @Test
    void nbdsNeverFallsBackToPlainText() throws Exception {
        try (Peer p = nbdkit(false, "--tls=off")) {
            assertThatThrownBy(() -> NbdClient.connect(NbdUri.parse(nbds(p, "tls-certificates=" + good)), ClientOptions.defaults()))
                .isInstanceOf(NbdOptionException.class).hasMessageContaining("refused TLS, which nbds:// requires");
        }
    }

    @Test
    void opportunisticServerWithNbdsUsesTls() throws Exception {
        try (Peer p = nbdkit(false, "--tls=on", "--tls-certificates=" + good);
             NbdConnection c = NbdClient.connect(NbdUri.parse(nbds(p, "tls-certificates=" + good)), ClientOptions.defaults());
             NbdConnection plain = NbdClient.connect(NbdUri.parse(p.uri()), ClientOptions.defaults())) {
            assertThat(c.negotiated().tls()).isTrue();
            assertThat(plain.negotiated().tls()).isFalse();
        }
    }
}
