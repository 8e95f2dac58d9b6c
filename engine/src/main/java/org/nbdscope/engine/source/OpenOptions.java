package org.nbdscope.engine.source;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.nbdscope.engine.image.ImageOptions;
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
 * @param image           how image files are opened (backing chain, zero detection)
 */
public record OpenOptions(Duration connectTimeout, Duration requestTimeout, List<String> contexts,
                          Path tlsCertificates, Boolean tlsVerifyPeer, boolean readOnly, ImageOptions image) {
    public OpenOptions {
        contexts = List.copyOf(contexts);
        if (image == null) image = ImageOptions.defaults();
    }

    public OpenOptions(Duration connectTimeout, Duration requestTimeout, List<String> contexts,
                       Path tlsCertificates, Boolean tlsVerifyPeer, boolean readOnly) {
        this(connectTimeout, requestTimeout, contexts, tlsCertificates, tlsVerifyPeer, readOnly, ImageOptions.defaults());
    }

    public OpenOptions withImage(ImageOptions i) {
        return new OpenOptions(connectTimeout, requestTimeout, contexts, tlsCertificates, tlsVerifyPeer, readOnly, i);
    }

    public static OpenOptions defaults() {
        return new OpenOptions(Duration.ofSeconds(10), Duration.ofSeconds(60), List.of(BlockStatusFlags.BASE_ALLOCATION), null, null, false);
    }

    public OpenOptions withContexts(List<String> c) {
        return new OpenOptions(connectTimeout, requestTimeout, c, tlsCertificates, tlsVerifyPeer, readOnly, image);
    }

    public OpenOptions withTimeouts(Duration connect, Duration request) {
        return new OpenOptions(connect, request, contexts, tlsCertificates, tlsVerifyPeer, readOnly, image);
    }

    public OpenOptions withTls(Path certificates, Boolean verifyPeer) {
        return new OpenOptions(connectTimeout, requestTimeout, contexts, certificates, verifyPeer, readOnly, image);
    }

    public OpenOptions withReadOnly(boolean ro) {
        return new OpenOptions(connectTimeout, requestTimeout, contexts, tlsCertificates, tlsVerifyPeer, ro, image);
    }
}
