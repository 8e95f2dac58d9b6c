package org.nbdscope.engine.nbd.client;

import java.util.Arrays;

import io.netty.buffer.ByteBuf;

/** A READ into {@code buf[base, base + length)}; every byte of the range must be answered. */
final class ReadPending extends Pending<Void> {
    private final byte[] buf;
    private final int base;
    private long covered;

    ReadPending(NbdRequest request, byte[] buf, int base) {
        super(request);
        this.buf = buf;
        this.base = base;
    }

    @Override
    void onData(long offset, ByteBuf data) {
        int n = data.readableBytes();
        data.getBytes(data.readerIndex(), buf, base + (int) (offset - request.offset()), n);
        covered += n;
    }

    @Override
    void onHole(long offset, long length) {
        int from = base + (int) (offset - request.offset());
        Arrays.fill(buf, from, from + (int) length, (byte) 0);
        covered += length;
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
