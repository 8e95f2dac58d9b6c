package org.nbdscope.engine.nbd.client;

import java.util.concurrent.CompletableFuture;

import io.netty.buffer.ByteBuf;

/**
 * One request in flight: its header, its future, and what its replies said so far. Replies are applied
 * on the connection's event loop; {@link #finish()} runs on the final one. The first failure wins: a
 * server error (error chunk or simple-reply error) or a reply that breaks the rules for this command.
 */
abstract class Pending<T> {
    final NbdRequest request;
    final CompletableFuture<T> future = new CompletableFuture<>();
    /** Set when the request timed out: its future has failed, late replies are consumed and dropped. */
    volatile boolean abandoned;
    /** When it times out, on the event loop's clock ({@code ticker().nanoTime()}); set as it is sent. */
    long deadline;
    private int error;
    private String serverMessage;
    private String invalid;

    Pending(NbdRequest request) { this.request = request; }

    /** Applies one reply message; releases any buffer it carries. */
    final void apply(Reply r) {
        switch (r) {
            case Reply.Simple s -> {
                try {
                    if (s.error() != 0) serverError(s.error(), null);
                    else if (s.data() != null) onData(request.offset(), s.data());
                    else onSimpleSuccess();
                } finally {
                    if (s.data() != null) s.data().release();
                }
            }
            case Reply.None n -> {
                if (!n.done()) invalid("NBD_REPLY_TYPE_NONE chunk without NBD_REPLY_FLAG_DONE");
            }
            case Reply.Data d -> {
                try {
                    if (inRange(d.offset(), d.data().readableBytes(), "NBD_REPLY_TYPE_OFFSET_DATA")) onData(d.offset(), d.data());
                } finally {
                    d.data().release();
                }
            }
            case Reply.Hole h -> {
                if (h.length() == 0) invalid("NBD_REPLY_TYPE_OFFSET_HOLE with hole size 0");
                else if (inRange(h.offset(), h.length(), "NBD_REPLY_TYPE_OFFSET_HOLE")) onHole(h.offset(), h.length());
            }
            case Reply.Status st -> onStatus(st);
            case Reply.Error e -> {
                if (e.error() == 0) {
                    invalid(ReplyDecoder.typeName(e.type()) + " chunk with error value 0");
                } else if (e.offset() >= 0 && !(e.offset() >= request.offset() && e.offset() - request.offset() < Math.max(1, request.length()))) {
                    invalid("NBD_REPLY_TYPE_ERROR_OFFSET offset " + e.offset() + " lies outside the request");
                } else {
                    serverError(e.error(), e.message() + (e.offset() >= 0 ? " (at offset " + e.offset() + ")" : ""));
                }
            }
            case Reply.Invalid i -> invalid(i.reason());
        }
    }

    private boolean inRange(long offset, long length, String what) {
        long end = request.offset() + request.length();
        if (offset < request.offset() || length > end - offset) {
            invalid(what + " for " + offset + "+" + length + " lies outside the request " + request.offset() + "+" + request.length());
            return false;
        }
        return true;
    }

    /** Payload of a successful READ: {@code data} holds the bytes at {@code offset}, inside the request. */
    void onData(long offset, ByteBuf data) {
        invalid("unexpected data for NBD_CMD_" + request.command().name());
    }

    void onHole(long offset, long length) {
        invalid("unexpected NBD_REPLY_TYPE_OFFSET_HOLE for NBD_CMD_" + request.command().name());
    }

    void onStatus(Reply.Status st) {
        invalid("unexpected " + (st.extended() ? "NBD_REPLY_TYPE_BLOCK_STATUS_EXT" : "NBD_REPLY_TYPE_BLOCK_STATUS")
            + " for NBD_CMD_" + request.command().name());
    }

    void onSimpleSuccess() {}

    /** The result once all replies arrived without error; may call {@link #invalid} instead. */
    abstract T result();

    final void serverError(int code, String message) {
        if (error == 0 && invalid == null) {
            error = code;
            serverMessage = message;
        }
    }

    final void invalid(String reason) {
        if (error == 0 && invalid == null) invalid = reason;
    }

    boolean serverFailed() { return error != 0; }

    /** Completes the future from what the replies said. */
    final void finish() {
        if (error == 0 && invalid == null) {
            T value = result();
            if (invalid == null) {
                future.complete(value);
                return;
            }
        }
        future.completeExceptionally(new NbdCommandException(request.command(), request.offset(), request.length(),
            error, serverMessage, invalid));
    }
}
