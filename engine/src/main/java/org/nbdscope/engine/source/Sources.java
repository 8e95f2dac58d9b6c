package org.nbdscope.engine.source;

import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.client.ClientOptions;
import org.nbdscope.engine.nbd.client.HeaderMode;
import org.nbdscope.engine.nbd.client.NbdClient;

/** Opens a target given as text. Today: NBD URIs ({@code nbd://}, {@code nbds://}, {@code nbd+unix://}, {@code nbds+unix://}). */
public final class Sources {
    private Sources() {}

    /**
     * Opens {@code target}. A malformed NBD URI fails with a {@link SourceException} naming the bad part;
     * anything that is not an NBD URI fails with "not an NBD URI: …".
     */
    public static BlockSource open(String target, OpenOptions opts) {
        if (!NbdUri.looksLikeNbd(target)) throw new SourceException("not an NBD URI: " + target);
        NbdUri uri;
        try {
            uri = NbdUri.parse(target);
        } catch (IllegalArgumentException e) {
            throw new SourceException(e.getMessage(), e);
        }
        return NbdClient.connect(uri, clientOptions(opts));
    }

    /** The NBD client options matching {@code opts}. */
    public static ClientOptions clientOptions(OpenOptions opts) {
        return new ClientOptions(opts.connectTimeout(), opts.requestTimeout(), opts.contexts(), false,
            opts.tlsCertificates(), opts.tlsVerifyPeer(), opts.readOnly(), HeaderMode.EXTENDED, true);
    }
}
