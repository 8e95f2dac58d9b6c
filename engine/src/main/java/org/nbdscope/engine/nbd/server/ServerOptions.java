package org.nbdscope.engine.nbd.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What the server offers and how it protects itself. The protocol switches let a user reproduce an
 * older server: without extended headers, without structured replies (simple replies only), without the
 * zero flag ({@code NBD_INFO_INIT_STATE}), without {@code FAST_ZERO}.
 *
 * @param extendedHeaders answer {@code NBD_OPT_EXTENDED_HEADERS} with ACK
 * @param structuredReplies answer {@code NBD_OPT_STRUCTURED_REPLY} with ACK
 * @param initState send {@code NBD_INFO_INIT_STATE} when a client asks for it
 * @param fastZero advertise {@code NBD_FLAG_SEND_FAST_ZERO}
 * @param tlsCertificate PEM certificate (chain); with {@code tlsKey} the server requires TLS (FORCEDTLS)
 * @param tlsKey PEM private key (PKCS#8, unencrypted)
 * @param maxConnections connections served at once; more are told so and closed
 * @param idleTimeout a connection with no traffic for this long is closed ({@link Duration#ZERO}: never)
 * @param handshakeTimeout a client that has not entered transmission by then is closed
 * @param maxDescriptors cap on block-status descriptors in one reply (a shorter answer is legal)
 */
public record ServerOptions(boolean extendedHeaders, boolean structuredReplies, boolean initState, boolean fastZero,
                            Path tlsCertificate, Path tlsKey, int maxConnections, Duration idleTimeout,
                            Duration handshakeTimeout, int maxDescriptors) {
    public static final int DEFAULT_MAX_DESCRIPTORS = 100_000;

    public ServerOptions {
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("TLS needs both a certificate and a private key");
        }
        if (maxConnections < 1) throw new IllegalArgumentException("maxConnections " + maxConnections + " must be at least 1");
        if (maxDescriptors < 1 || maxDescriptors > (1 << 20)) {
            throw new IllegalArgumentException("maxDescriptors " + maxDescriptors + " must be in 1.." + (1 << 20));
        }
        if (idleTimeout.isNegative() || handshakeTimeout.isNegative() || handshakeTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive (idle timeout may be zero: never)");
        }
    }

    /** Everything on, no TLS, 64 connections, 15 minutes idle timeout, 60 s handshake timeout, 100,000 descriptors. */
    public static ServerOptions defaults() {
        return new ServerOptions(true, true, true, true, null, null, 64, Duration.ofMinutes(15), Duration.ofSeconds(60),
            DEFAULT_MAX_DESCRIPTORS);
    }

    public boolean tls() { return tlsCertificate != null; }

    public ServerOptions withExtendedHeaders(boolean on) {
        return new ServerOptions(on, structuredReplies, initState, fastZero, tlsCertificate, tlsKey, maxConnections, idleTimeout, handshakeTimeout, maxDescriptors);
    }

    public ServerOptions withStructuredReplies(boolean on) {
        return new ServerOptions(extendedHeaders, on, initState, fastZero, tlsCertificate, tlsKey, maxConnections, idleTimeout, handshakeTimeout, maxDescriptors);
    }

    public ServerOptions withInitState(boolean on) {
        return new ServerOptions(extendedHeaders, structuredReplies, on, fastZero, tlsCertificate, tlsKey, maxConnections, idleTimeout, handshakeTimeout, maxDescriptors);
    }

    public ServerOptions withFastZero(boolean on) {
        return new ServerOptions(extendedHeaders, structuredReplies, initState, on, tlsCertificate, tlsKey, maxConnections, idleTimeout, handshakeTimeout, maxDescriptors);
    }

    public ServerOptions withTls(Path certificate, Path key) {
        return new ServerOptions(extendedHeaders, structuredReplies, initState, fastZero, certificate, key, maxConnections, idleTimeout, handshakeTimeout, maxDescriptors);
    }

    public ServerOptions withMaxConnections(int max) {
        return new ServerOptions(extendedHeaders, structuredReplies, initState, fastZero, tlsCertificate, tlsKey, max, idleTimeout, handshakeTimeout, maxDescriptors);
    }

    public ServerOptions withIdleTimeout(Duration idle) {
        return new ServerOptions(extendedHeaders, structuredReplies, initState, fastZero, tlsCertificate, tlsKey, maxConnections, idle, handshakeTimeout, maxDescriptors);
    }

    public ServerOptions withHandshakeTimeout(Duration handshake) {
        return new ServerOptions(extendedHeaders, structuredReplies, initState, fastZero, tlsCertificate, tlsKey, maxConnections, idleTimeout, handshake, maxDescriptors);
    }

    public ServerOptions withMaxDescriptors(int max) {
        return new ServerOptions(extendedHeaders, structuredReplies, initState, fastZero, tlsCertificate, tlsKey, maxConnections, idleTimeout, handshakeTimeout, max);
    }
}
