package org.nbdscope.engine.nbd.client;

/** A command answered only with success or an error: WRITE, FLUSH, TRIM, WRITE_ZEROES, CACHE. */
final class VoidPending extends Pending<Void> {
    VoidPending(NbdRequest request) { super(request); }

    @Override
    Void result() { return null; }
}
