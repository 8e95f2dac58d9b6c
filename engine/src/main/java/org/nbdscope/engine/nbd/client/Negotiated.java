package org.nbdscope.engine.nbd.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.nbdscope.engine.proto.HandshakeFlags;
import org.nbdscope.engine.proto.NbdInfo;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.TransmissionFlags;

/**
 * What one connection negotiated during the handshake.
 *
 * @param exportName         the export name used (the server's canonical {@code NBD_INFO_NAME} if it sent one)
 * @param description        {@code NBD_INFO_DESCRIPTION}, or null when not sent
 * @param size               export size in bytes
 * @param transmissionFlags  16-bit transmission flags ({@link TransmissionFlags})
 * @param headerMode         simple, structured or extended headers
 * @param tls                true when the connection runs over TLS
 * @param minimumBlockSize   {@code NBD_INFO_BLOCK_SIZE} minimum, 0 when not sent
 * @param preferredBlockSize preferred block size, 0 when not sent
 * @param maximumPayload     maximum payload size, 0 when not sent
 * @param metaContexts       selected meta contexts, name to id, in the server's order
 * @param availableContexts  contexts from {@code NBD_OPT_LIST_META_CONTEXT} when listing was asked for, else empty
 * @param initState          {@code NBD_INFO_INIT_STATE} flags ({@link NbdInfo#INIT_SPARSE}, {@link NbdInfo#INIT_ZERO}),
 *                           or null when the server did not send them ("unknown", never "not zero")
 * @param finalOption        {@link NbdOption#GO} or {@link NbdOption#EXPORT_NAME} (fallback for servers without GO)
 * @param handshakeFlags     the server's 16-bit handshake flags ({@link HandshakeFlags})
 */
public record Negotiated(String exportName, String description, long size, int transmissionFlags,
                         HeaderMode headerMode, boolean tls, long minimumBlockSize, long preferredBlockSize,
                         long maximumPayload, Map<String, Integer> metaContexts, List<String> availableContexts,
                         Integer initState, NbdOption finalOption, int handshakeFlags) {

    public Negotiated {
        metaContexts = Collections.unmodifiableMap(new LinkedHashMap<>(metaContexts));
        availableContexts = List.copyOf(availableContexts);
    }

    /** True when the server sent {@code NBD_INFO_BLOCK_SIZE}. */
    public boolean blockSizeSent() { return minimumBlockSize != 0; }

    public boolean readOnly() { return TransmissionFlags.has(transmissionFlags, TransmissionFlags.READ_ONLY); }

    public boolean has(int transmissionFlag) { return TransmissionFlags.has(transmissionFlags, transmissionFlag); }

    /** True when {@code NBD_INFO_INIT_STATE} was sent with {@code NBD_INIT_ZERO}. */
    public boolean initZero() { return initState != null && (initState & NbdInfo.INIT_ZERO) != 0; }

    /** True when {@code NBD_INFO_INIT_STATE} was sent with {@code NBD_INIT_SPARSE}. */
    public boolean initSparse() { return initState != null && (initState & NbdInfo.INIT_SPARSE) != 0; }

    /** "newstyle-fixed" or "newstyle", as nbdinfo names the handshake. */
    public String protocol() {
        return (handshakeFlags & HandshakeFlags.FIXED_NEWSTYLE) != 0 ? "newstyle-fixed" : "newstyle";
    }
}
