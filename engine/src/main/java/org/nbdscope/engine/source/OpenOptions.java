package org.nbdscope.engine.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.nbdscope.engine.proto.BlockStatusFlags;

/**
 * How {@link Sources#open} opens a target.
 *
 * @param connectTimeout  connect and handshake limit
 * @param requestTimeout  limit for each request
 * @param contexts        meta contexts to select ({@code base:allocation} by default)
 * @param tlsCertificates directory ({@code ca-cert.pem}, …) or CA file; null = from the URI or the system
 * @param tlsVerifyPeer   null = from the URI (default verify)
 * @param readOnly        refuse writes even where the target allows them
 */
public record OpenOptions(Duration connectTimeout, Duration requestTimeout, List<String> contexts,
                          Path tlsCertificates, Boolean tlsVerifyPeer, boolean readOnly) {
    public OpenOptions {
        contexts = List.copyOf(contexts);
    }

    public static OpenOptions defaults() {
        return new OpenOptions(Duration.ofSeconds(10), Duration.ofSeconds(60), List.of(BlockStatusFlags.BASE_ALLOCATION), null, null, false);
    }

    public OpenOptions withContexts(List<String> c) {
        return new OpenOptions(connectTimeout, requestTimeout, c, tlsCertificates, tlsVerifyPeer, readOnly);
    }

    public OpenOptions withTimeouts(Duration connect, Duration request) {
        return new OpenOptions(connect, request, contexts, tlsCertificates, tlsVerifyPeer, readOnly);
    }

    public OpenOptions withTls(Path certificates, Boolean verifyPeer) {
        return new OpenOptions(connectTimeout, requestTimeout, contexts, certificates, verifyPeer, readOnly);
    }

    public OpenOptions withReadOnly(boolean ro) {
        return new OpenOptions(connectTimeout, requestTimeout, contexts, tlsCertificates, tlsVerifyPeer, ro);
    }
}
