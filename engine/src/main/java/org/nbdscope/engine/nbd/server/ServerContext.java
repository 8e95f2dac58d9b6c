package org.nbdscope.engine.nbd.server;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import io.netty.handler.ssl.SslContext;
import org.nbdscope.engine.proto.TransmissionFlags;

/** What every connection of one server shares: exports, options, TLS context, counters and records. */
final class ServerContext {
    static final System.Logger LOG = System.getLogger("org.nbdscope.engine.nbd.server");
    /** Context id of {@code base:allocation} handed out by {@code NBD_OPT_SET_META_CONTEXT}. */
    static final int BASE_ALLOCATION_ID = 1;
    private static final int RECORDS_KEPT = 1000;

    final List<Export> exports;
    final ServerOptions options;
    final SslContext ssl;
    final AtomicInteger active = new AtomicInteger();
    final AtomicLong ids = new AtomicLong();
    private final Deque<ConnectionRecord> records = new ArrayDeque<>();

    ServerContext(List<Export> exports, ServerOptions options, SslContext ssl) {
        this.exports = List.copyOf(exports);
        this.options = options;
        this.ssl = ssl;
    }

    /** The export for a client's name; the empty name is the default (first) export. */
    Export find(String name) {
        if (name.isEmpty()) return exports.getFirst();
        for (Export e : exports) if (e.name().equals(name)) return e;
        return null;
    }

    String exportNames() {
        return exports.stream().map(e -> "'" + e.name() + "'").collect(Collectors.joining(", "));
    }

    /** Transmission flags for an export under the given negotiation. */
    int transmissionFlags(Export e, boolean structuredOrExtended) {
        int f = TransmissionFlags.HAS_FLAGS | TransmissionFlags.SEND_FLUSH | TransmissionFlags.SEND_FUA
            | TransmissionFlags.SEND_CACHE | TransmissionFlags.CAN_MULTI_CONN;
        if (e.readOnly()) {
            f |= TransmissionFlags.READ_ONLY;
        } else {
            f |= TransmissionFlags.SEND_TRIM | TransmissionFlags.SEND_WRITE_ZEROES;
            if (options.fastZero()) f |= TransmissionFlags.SEND_FAST_ZERO;
        }
        if (structuredOrExtended) f |= TransmissionFlags.SEND_DF;
        return f;
    }

    ConnectionRecord newRecord(String remote) {
        ConnectionRecord r = new ConnectionRecord(ids.incrementAndGet(), remote);
        synchronized (records) {
            records.addLast(r);
            if (records.size() > RECORDS_KEPT) records.removeFirst();
        }
        return r;
    }

    List<ConnectionRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }
}
