package org.nbdscope.engine.session;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.nbdscope.engine.image.ImageOptions;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.source.OpenOptions;

/**
 * How a target was opened: what {@link OpenOptions} and {@link ImageOptions} held. Only the location of TLS
 * certificates is kept (a directory or CA file path), never key material.
 *
 * @param connectTimeoutMillis connect and handshake limit
 * @param requestTimeoutMillis limit for each request
 * @param contexts             meta contexts selected
 * @param tlsCertificates      directory or CA file, or null
 * @param tlsVerifyPeer        null = from the URI
 * @param readOnly             opened read-only
 * @param allowBacking         image files: backing files followed
 * @param maxBackingDepth      image files: how deep
 * @param detectZeroes         image files: allocated data read and checked for zeroes
 */
public record TargetOptions(long connectTimeoutMillis, long requestTimeoutMillis, List<String> contexts, String tlsCertificates,
                            Boolean tlsVerifyPeer, boolean readOnly, boolean allowBacking, int maxBackingDepth,
                            boolean detectZeroes) {
    public TargetOptions {
        contexts = contexts == null || contexts.isEmpty() ? List.of(BlockStatusFlags.BASE_ALLOCATION) : List.copyOf(contexts);
        if (maxBackingDepth < 1 || maxBackingDepth > ImageOptions.MAX_BACKING_DEPTH) maxBackingDepth = ImageOptions.DEFAULT_MAX_BACKING_DEPTH;
        if (connectTimeoutMillis <= 0) connectTimeoutMillis = OpenOptions.defaults().connectTimeout().toMillis();
        if (requestTimeoutMillis <= 0) requestTimeoutMillis = OpenOptions.defaults().requestTimeout().toMillis();
    }

    public static TargetOptions defaults() { return of(OpenOptions.defaults()); }

    public static TargetOptions of(OpenOptions o) {
        ImageOptions i = o.image();
        return new TargetOptions(o.connectTimeout().toMillis(), o.requestTimeout().toMillis(), o.contexts(),
            o.tlsCertificates() == null ? null : o.tlsCertificates().toString(), o.tlsVerifyPeer(), o.readOnly(),
            i.allowBacking(), i.maxBackingDepth(), i.detectZeroes());
    }

    /** The options to open the target again with. */
    public OpenOptions toOpenOptions() {
        return new OpenOptions(Duration.ofMillis(connectTimeoutMillis), Duration.ofMillis(requestTimeoutMillis), contexts,
            tlsCertificates == null ? null : Path.of(tlsCertificates), tlsVerifyPeer, readOnly,
            new ImageOptions(allowBacking, maxBackingDepth, detectZeroes));
    }
}
