package org.nbdscope.engine.nbd.server;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

import org.nbdscope.engine.proto.NbdCommand;

/**
 * What one client connection negotiated and did, as the server saw it: options received, the export,
 * header mode, TLS, meta contexts, transmission flags, the zero flag sent, requests by command, errors
 * sent, and why the connection ended. Thread-safe; tests and the {@code serve} command read it.
 */
public final class ConnectionRecord {
    private final long id;
    private final String remote;
    private final Instant opened = Instant.now();
    private final List<String> options = new ArrayList<>();
    private final AtomicLongArray requests = new AtomicLongArray(NbdCommand.values().length + 1);
    private final AtomicLongArray errors = new AtomicLongArray(1);
    private volatile String export;
    private volatile HeaderMode headerMode;
    private volatile boolean tls;
    private volatile List<String> metaContexts = List.of();
    private volatile int transmissionFlags = -1;
    private volatile boolean initStateRequested;
    private volatile int initStateSent = -1;
    private volatile String enteredBy;
    private volatile String closeReason;
    private volatile String lastError;
    private volatile boolean closed;

    ConnectionRecord(long id, String remote) {
        this.id = id;
        this.remote = remote;
    }

    public long id() { return id; }

    public String remote() { return remote; }

    public Instant opened() { return opened; }

    /** Option names in the order received, e.g. "NBD_OPT_EXTENDED_HEADERS". */
    public synchronized List<String> options() { return List.copyOf(options); }

    synchronized void option(String name) { options.add(name); }

    /** The export chosen by {@code NBD_OPT_GO} or {@code NBD_OPT_EXPORT_NAME}; null before transmission. */
    public String export() { return export; }

    /** Null before transmission. */
    public HeaderMode headerMode() { return headerMode; }

    public boolean tls() { return tls; }

    public List<String> metaContexts() { return metaContexts; }

    public int transmissionFlags() { return transmissionFlags; }

    /** True when the client listed {@code NBD_INFO_INIT_STATE} in its final INFO/GO. */
    public boolean initStateRequested() { return initStateRequested; }

    /** The zero-flag bits sent with {@code NBD_INFO_INIT_STATE} at GO, or -1 when not sent. */
    public int initStateSent() { return initStateSent; }

    /** "NBD_OPT_GO" or "NBD_OPT_EXPORT_NAME"; null before transmission. */
    public String enteredBy() { return enteredBy; }

    /** Requests received for a command. */
    public long requests(NbdCommand command) { return requests.get(command.ordinal()); }

    /** Requests with a command type the server does not know. */
    public long unknownRequests() { return requests.get(NbdCommand.values().length); }

    /** Error replies sent (option errors and command errors). */
    public long errorsSent() { return errors.get(0); }

    /** The message of the last error sent. */
    public String lastError() { return lastError; }

    /** Why the server closed the connection (protocol violation, idle, limit), or null. */
    public String closeReason() { return closeReason; }

    public boolean closed() { return closed; }

    void tls(boolean on) { tls = on; }

    void transmission(String exportName, HeaderMode mode, List<String> contexts, int flags, String via) {
        this.export = exportName;
        this.headerMode = mode;
        this.metaContexts = List.copyOf(contexts);
        this.transmissionFlags = flags;
        this.enteredBy = via;
    }

    void initState(boolean requested, int sent) {
        this.initStateRequested = requested;
        this.initStateSent = sent;
    }

    void request(int type) {
        NbdCommand c = NbdCommand.of(type);
        requests.incrementAndGet(c == null ? NbdCommand.values().length : c.ordinal());
    }

    void error(String message) {
        errors.incrementAndGet(0);
        lastError = message;
    }

    void closeReason(String reason) {
        if (closeReason == null) closeReason = reason;
    }

    void markClosed() { closed = true; }

    @Override
    public String toString() {
        return "connection " + id + " from " + remote + ": export=" + export + " mode=" + headerMode + " tls=" + tls
            + " contexts=" + metaContexts + " initState=" + initStateSent + (closeReason == null ? "" : " closed: " + closeReason);
    }
}
