package org.nbdscope.engine.nbd.server;

import java.util.ArrayDeque;

import io.netty.channel.Channel;

/**
 * One connection's state after the handshake, and its flow control. Requests are executed in order on
 * the connection's own serial executor ({@link #execute}, a virtual thread), so a slow backend call or a
 * client that stops reading stalls only its own connection. The decoder stops reading from the socket while more than
 * {@link #MAX_IN_FLIGHT} requests or {@link #MAX_IN_FLIGHT_BYTES} of write payload wait, and the executor
 * waits while the socket's outbound buffer is over its high-water mark.
 */
final class Session {
    static final int MAX_IN_FLIGHT = 64;
    static final long MAX_IN_FLIGHT_BYTES = 64L << 20;

    final Channel channel;
    final ConnectionRecord record;
    final ServerContext server;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean draining;
    private Export export;
    private HeaderMode mode;
    private int metaContextId = -1;
    private int inFlight;
    private long inFlightBytes;
    private boolean busy;

    Session(Channel channel, ConnectionRecord record, ServerContext server) {
        this.channel = channel;
        this.record = record;
        this.server = server;
    }

    void start(Export export, HeaderMode mode, int metaContextId) {
        this.export = export;
        this.mode = mode;
        this.metaContextId = metaContextId;
    }

    Export export() { return export; }

    HeaderMode mode() { return mode; }

    int metaContextId() { return metaContextId; }

    /**
     * Runs {@code task} after every task submitted before it, on a virtual thread that exists only while
     * there is work: the connection's own serial executor, with nothing to shut down.
     */
    void execute(Runnable task) {
        synchronized (queue) {
            queue.addLast(task);
            if (draining) return;
            draining = true;
        }
        Thread.ofVirtual().name("nbd-connection-" + record.id()).start(this::drain);
    }

    private void drain() {
        while (true) {
            Runnable r;
            synchronized (queue) {
                r = queue.pollFirst();
                if (r == null) {
                    draining = false;
                    return;
                }
            }
            r.run();
        }
    }

    private static long cost(NbdRequest r) {
        return r.payload() == null ? 64 : r.payload().readableBytes() + 64L;
    }

    synchronized void admit(NbdRequest r) {
        inFlight++;
        inFlightBytes += cost(r);
        updateAutoRead();
    }

    synchronized void done(NbdRequest r) {
        inFlight--;
        inFlightBytes -= cost(r);
        updateAutoRead();
    }

    private void updateAutoRead() {
        boolean want = inFlight < MAX_IN_FLIGHT && inFlightBytes < MAX_IN_FLIGHT_BYTES;
        if (channel.config().isAutoRead() != want) channel.config().setAutoRead(want);
    }

    synchronized void busy(boolean on) { busy = on; }

    /** True while a backend call runs: the idle timeout must not cut a long zeroing short. */
    synchronized boolean busy() { return busy; }

    /** Blocks the connection's executor while the client is not reading its replies. */
    synchronized void awaitWritable() throws InterruptedException {
        while (!channel.isWritable() && channel.isActive()) wait(1000);
    }

    synchronized void writabilityChanged() { notifyAll(); }

    /** The connection ended: wake an executor waiting for writability. */
    synchronized void closed() { notifyAll(); }

}
