package org.nbdscope.engine.nbd.client;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.net.ssl.SSLException;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.source.SourceException;

/**
 * TLS for {@code nbds} URIs after {@code NBD_OPT_STARTTLS}. Trust comes from {@code tls-certificates}: a
 * directory in the libnbd/gnutls layout ({@code ca-cert.pem}, optional {@code client-cert.pem} and
 * {@code client-key.pem}) or a single CA file; without it, the JDK's trust store. The peer is verified
 * unless {@code tls-verify-peer=0}; its host name is checked against {@code tls-hostname} or the URI host.
 */
final class TlsSupport {
    private TlsSupport() {}

    static SslHandler handler(NbdUri uri, ClientOptions options, ByteBufAllocator alloc) {
        String certs = options.tlsCertificates() != null ? options.tlsCertificates().toString() : uri.tlsCertificates();
        boolean verify = options.tlsVerifyPeer() != null ? options.tlsVerifyPeer() : uri.tlsVerifyPeer();
        String hostname = uri.tlsHostname();
        SslContextBuilder b = SslContextBuilder.forClient();
        if (!verify) {
            b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            if (certs != null) {
                Path p = Path.of(certs);
                Path ca = Files.isDirectory(p) ? p.resolve("ca-cert.pem") : p;
                if (!Files.isReadable(ca)) {
                    throw new SourceException("TLS: no CA certificate at " + ca + " (tls-certificates=" + certs + ")");
                }
                b.trustManager(ca.toFile());
            }
            b.endpointIdentificationAlgorithm(hostname == null ? null : "HTTPS");
        }
        if (certs != null && Files.isDirectory(Path.of(certs))) {
            File cert = Path.of(certs, "client-cert.pem").toFile();
            File key = Path.of(certs, "client-key.pem").toFile();
            if (cert.canRead() && key.canRead()) b.keyManager(cert, key);
        }
        SslContext ctx;
        try {
            ctx = b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new SourceException("TLS: cannot set up the client context from " + (certs == null ? "the system trust store" : certs)
                + ": " + e.getMessage(), e);
        }
        SslHandler h = hostname == null ? ctx.newHandler(alloc) : ctx.newHandler(alloc, hostname, uri.unix() ? -1 : uri.port());
        return h;
    }

    static void timeout(SslHandler h, Duration d) {
        h.setHandshakeTimeoutMillis(d.toMillis());
    }
}
