package org.nbdscope.engine.zero;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.source.SourceDetails;
import org.nbdscope.engine.source.WireStats;

/**
 * A view of a target that cannot write: the probe and the planner only ever see a target through it, so
 * "a probe never writes" holds by construction. Everything else, read-only state included, is the target's own.
 */
final class NoWrites implements ZeroTarget {
    private final ZeroTarget t;

    private NoWrites(ZeroTarget t) { this.t = t; }

    static ZeroTarget of(ZeroTarget t) { return t instanceof NoWrites ? t : new NoWrites(t); }

    private static <T> CompletableFuture<T> refuse(String what) {
        return CompletableFuture.failedFuture(new IllegalStateException(what + " refused: a probe or a plan never writes"));
    }

    @Override public CompletableFuture<Void> writeZeroes(long offset, long length, int flags) { return refuse("WRITE_ZEROES"); }
    @Override public CompletableFuture<Void> writeZeroBytes(long offset, int length) { return refuse("WRITE"); }

    @Override public String name() { return t.name(); }
    @Override public long size() { return t.size(); }
    @Override public boolean readOnly() { return t.readOnly(); }
    @Override public List<String> contexts() { return t.contexts(); }
    @Override public long maxStatusLength() { return t.maxStatusLength(); }
    @Override public int preferredInFlight() { return t.preferredInFlight(); }
    @Override public SourceDetails details() { return t.details(); }
    @Override public WireStats stats() { return t.stats(); }
    @Override public void close() { t.close(); }
    @Override public TargetKind kind() { return t.kind(); }
    @Override public String confirmationName() { return t.confirmationName(); }
    @Override public InitState initState() { return t.initState(); }
    @Override public String headerMode() { return t.headerMode(); }
    @Override public boolean wideLengths() { return t.wideLengths(); }
    @Override public boolean canBlockStatus() { return t.canBlockStatus(); }
    @Override public boolean canWriteZeroes() { return t.canWriteZeroes(); }
    @Override public boolean canFastZero() { return t.canFastZero(); }
    @Override public boolean canTrim() { return t.canTrim(); }
    @Override public long minimumBlockSize() { return t.minimumBlockSize(); }
    @Override public long preferredBlockSize() { return t.preferredBlockSize(); }
    @Override public long maximumPayload() { return t.maximumPayload(); }
    @Override public long maxZeroLength() { return t.maxZeroLength(); }
    @Override public int maxWriteLength() { return t.maxWriteLength(); }
    @Override public boolean modifiedSinceOpen() { return t.modifiedSinceOpen(); }
    @Override public String zeroRefusal() { return t.zeroRefusal(); }
    @Override public boolean canRead() { return t.canRead(); }

    @Override
    public CompletableFuture<ExtentBatch> blockStatus(String context, long offset, long length, boolean reqOne) {
        return t.blockStatus(context, offset, length, reqOne);
    }

    @Override
    public CompletableFuture<ByteBuffer> read(long offset, int length) { return t.read(offset, length); }
}
