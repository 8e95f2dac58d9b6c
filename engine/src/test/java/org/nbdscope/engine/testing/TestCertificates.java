package org.nbdscope.engine.testing;

import java.nio.file.Files;
import java.nio.file.Path;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

/**
 * A throw-away certificate authority and a server certificate for 127.0.0.1 and localhost, written as
 * PEM files in one directory under the names qemu's and libnbd's x509 directories expect:
 * {@code ca-cert.pem}, {@code server-cert.pem}, {@code server-key.pem} (PKCS#8).
 */
public record TestCertificates(Path dir, Path caCert, Path serverCert, Path serverKey) {

    public static TestCertificates create(Path dir) throws Exception {
        X509Bundle ca = new CertificateBuilder().subject("CN=nbdscope test CA").setIsCertificateAuthority(true).ecp256()
            .buildSelfSigned();
        X509Bundle server = new CertificateBuilder().subject("CN=localhost").addSanDnsName("localhost")
            .addSanIpAddress("127.0.0.1").addExtendedKeyUsageServerAuth().ecp256().buildIssuedBy(ca);
        Files.createDirectories(dir);
        Path caCert = Files.writeString(dir.resolve("ca-cert.pem"), ca.getCertificatePEM());
        Path cert = Files.writeString(dir.resolve("server-cert.pem"), server.getCertificatePEM());
        Path key = Files.writeString(dir.resolve("server-key.pem"), server.getPrivateKeyPEM());
        return new TestCertificates(dir, caCert, cert, key);
    }
}
