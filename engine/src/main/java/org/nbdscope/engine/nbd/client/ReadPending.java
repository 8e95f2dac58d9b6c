package org.nbdscope.engine.nbd.client;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

import io.netty.buffer.ByteBuf;

/** A READ into {@code buf[base, base + length)}; every byte of the range must be answered. */
final class ReadPending extends Pending<Void> {
    private final byte[] buf;
    private final int base;
    private long covered;
    /** Chunks received so far: start to end. */
    private final TreeMap<Long, Long> answered = new TreeMap<>();

    ReadPending(NbdRequest request, byte[] buf, int base) {
        super(request);
        this.buf = buf;
        this.base = base;
    }

    @Override
    void onData(long offset, ByteBuf data) {
        int n = data.readableBytes();
        if (!claim(offset, n, "NBD_REPLY_TYPE_OFFSET_DATA")) return;
        data.getBytes(data.readerIndex(), buf, base + (int) (offset - request.offset()), n);
    }

    @Override
    void onHole(long offset, long length) {
        if (!claim(offset, length, "NBD_REPLY_TYPE_OFFSET_HOLE")) return;
        int from = base + (int) (offset - request.offset());
        Arrays.fill(buf, from, from + (int) length, (byte) 0);
    }

    /**
     * Records {@code [offset, offset + length)} as answered, unless it overlaps an earlier chunk: the spec
     * forbids overlapping chunks, and counting them would let a server "cover" the request while leaving
     * a gap unwritten.
     */
    private boolean claim(long offset, long length, String what) {
        if (length == 0) return true;
        long end = offset + length;
        Map.Entry<Long, Long> before = answered.floorEntry(offset);
        Map.Entry<Long, Long> after = answered.ceilingEntry(offset);
        Map.Entry<Long, Long> hit = before != null && before.getValue() > offset ? before
            : after != null && after.getKey() < end ? after : null;
        if (hit != null) {
            invalid(what + " for " + offset + "+" + length + " overlaps the chunk already received for "
                + hit.getKey() + "+" + (hit.getValue() - hit.getKey()));
            return false;
        }
        answered.put(offset, end);
        covered += length;
        return true;
    }

    @Override
    void onSimpleSuccess() {
        invalid("simple reply to NBD_CMD_READ without data");
    }

    @Override
    Void result() {
        if (covered != request.length()) invalid("the read reply covered " + covered + " of " + request.length() + " bytes");
        return null;
    }
}
