package org.nbdscope.engine.nbd.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.nbdscope.engine.proto.BlockStatusFlags;

/**
 * How to connect.
 *
 * @param connectTimeout  limit for the TCP/Unix connect and for the whole handshake
 * @param requestTimeout  limit for each option reply and for each transmission request
 * @param metaContexts    meta-context queries for {@code NBD_OPT_SET_META_CONTEXT} ({@code base:allocation},
 *                        {@code qemu:allocation-depth}, {@code qemu:dirty-bitmap:NAME}); empty selects none
 * @param listContexts    also ask {@code NBD_OPT_LIST_META_CONTEXT} for every context the export offers
 * @param tlsCertificates overrides the URI's {@code tls-certificates}: a directory with {@code ca-cert.pem}
 *                        (and optionally {@code client-cert.pem}/{@code client-key.pem}) or a CA file; null = URI/system
 * @param tlsVerifyPeer   overrides the URI's {@code tls-verify-peer}; null = URI (default: verify)
 * @param readOnly        refuse writes on this connection even if the export allows them
 * @param maxHeaderMode   the richest header mode to ask for (EXTENDED tries all; STRUCTURED skips extended
 *                        headers; SIMPLE asks for neither)
 * @param useGo           use {@code NBD_OPT_GO} (falling back to {@code EXPORT_NAME}); false goes straight to
 *                        {@code NBD_OPT_EXPORT_NAME}
 */
public record ClientOptions(Duration connectTimeout, Duration requestTimeout, List<String> metaContexts,
                            boolean listContexts, Path tlsCertificates, Boolean tlsVerifyPeer, boolean readOnly,
                            HeaderMode maxHeaderMode, boolean useGo) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    public ClientOptions {
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout must be positive, not " + connectTimeout);
        }
        if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive, not " + requestTimeout);
        }
        metaContexts = List.copyOf(metaContexts);
        for (String c : metaContexts) {
            if (c.isEmpty() || c.indexOf(':') < 1) throw new IllegalArgumentException("meta context '" + c + "' needs a namespace, as in base:allocation");
            if (c.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 4096) {
                throw new IllegalArgumentException("meta context name longer than 4096 bytes");
            }
        }
        if (maxHeaderMode == null) maxHeaderMode = HeaderMode.EXTENDED;
    }

    /** 10 s connect, 60 s per request, {@code base:allocation}, everything the server offers. */
    public static ClientOptions defaults() {
        return new ClientOptions(DEFAULT_CONNECT_TIMEOUT, DEFAULT_REQUEST_TIMEOUT, List.of(BlockStatusFlags.BASE_ALLOCATION),
            false, null, null, false, HeaderMode.EXTENDED, true);
    }

    public ClientOptions withConnectTimeout(Duration d) {
        return new ClientOptions(d, requestTimeout, metaContexts, listContexts, tlsCertificates, tlsVerifyPeer, readOnly, maxHeaderMode, useGo);
    }

    public ClientOptions withRequestTimeout(Duration d) {
        return new ClientOptions(connectTimeout, d, metaContexts, listContexts, tlsCertificates, tlsVerifyPeer, readOnly, maxHeaderMode, useGo);
    }

    public ClientOptions withMetaContexts(List<String> contexts) {
        return new ClientOptions(connectTimeout, requestTimeout, contexts, listContexts, tlsCertificates, tlsVerifyPeer, readOnly, maxHeaderMode, useGo);
    }

    public ClientOptions withListContexts(boolean list) {
        return new ClientOptions(connectTimeout, requestTimeout, metaContexts, list, tlsCertificates, tlsVerifyPeer, readOnly, maxHeaderMode, useGo);
    }

    public ClientOptions withTls(Path certificates, Boolean verifyPeer) {
        return new ClientOptions(connectTimeout, requestTimeout, metaContexts, listContexts, certificates, verifyPeer, readOnly, maxHeaderMode, useGo);
    }

    public ClientOptions withReadOnly(boolean ro) {
        return new ClientOptions(connectTimeout, requestTimeout, metaContexts, listContexts, tlsCertificates, tlsVerifyPeer, ro, maxHeaderMode, useGo);
    }

    public ClientOptions withMaxHeaderMode(HeaderMode mode) {
        return new ClientOptions(connectTimeout, requestTimeout, metaContexts, listContexts, tlsCertificates, tlsVerifyPeer, readOnly, mode, useGo);
    }

    public ClientOptions withUseGo(boolean go) {
        return new ClientOptions(connectTimeout, requestTimeout, metaContexts, listContexts, tlsCertificates, tlsVerifyPeer, readOnly, maxHeaderMode, go);
    }
}
