package org.nbdscope.engine.zero;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdError;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.source.SourceDetails;
import org.nbdscope.engine.source.WireStats;

/**
 * An image file opened by the image readers (a qcow2 image: L1/L2 tables) as a probe-only {@link ZeroTarget}:
 * block status comes from the reader, nothing is ever written, and make-zero is refused with the reason.
 */
public final class ImageZeroTarget implements ZeroTarget {
    /** Why make-zero refuses qcow2 images. */
    public static final String QCOW2_REFUSAL = "qcow2 images are not zeroed by nbdscope: making one read as zero means rewriting"
        + " its L2 tables and refcounts through the format, which nbdscope does not do; serve it with qemu-nbd and zero the export instead";

    private final BlockSource source;
    private final TargetKind kind;
    private final String refusal;

    /** {@code kind} decides the probe source name; {@code refusal} is the reason make-zero gives. */
    public ImageZeroTarget(BlockSource source, TargetKind kind, String refusal) {
        this.source = source;
        this.kind = kind;
        this.refusal = refusal;
    }

    public static ImageZeroTarget qcow2(BlockSource source) { return new ImageZeroTarget(source, TargetKind.QCOW2, QCOW2_REFUSAL); }

    @Override public String name() { return source.name(); }
    @Override public long size() { return source.size(); }
    @Override public boolean readOnly() { return true; }
    @Override public List<String> contexts() { return source.contexts(); }
    @Override public long maxStatusLength() { return source.maxStatusLength(); }
    @Override public int preferredInFlight() { return source.preferredInFlight(); }
    @Override public SourceDetails details() { return source.details(); }
    @Override public WireStats stats() { return source.stats(); }
    @Override public void close() { source.close(); }
    @Override public TargetKind kind() { return kind; }
    @Override public String confirmationName() { return source.name(); }
    @Override public InitState initState() { return InitState.NOT_SENT; }
    @Override public String headerMode() { return "file"; }
    @Override public boolean wideLengths() { return true; }
    @Override public boolean canBlockStatus() { return source.contexts().contains(BlockStatusFlags.BASE_ALLOCATION); }
    @Override public boolean canWriteZeroes() { return false; }
    @Override public boolean canFastZero() { return false; }
    @Override public boolean canTrim() { return false; }
    @Override public long minimumBlockSize() { return 1; }
    @Override public long preferredBlockSize() { return 0; }
    @Override public long maximumPayload() { return 0; }
    @Override public long maxZeroLength() { return Long.MAX_VALUE; }
    @Override public boolean modifiedSinceOpen() { return false; }
    @Override public String zeroRefusal() { return refusal; }
    @Override public boolean canRead() { return false; }

    @Override
    public CompletableFuture<ExtentBatch> blockStatus(String context, long offset, long length, boolean reqOne) {
        return source.blockStatus(context, offset, length, reqOne);
    }

    @Override
    public CompletableFuture<Void> writeZeroes(long offset, long length, int flags) {
        return CompletableFuture.failedFuture(TargetCommandException.of(NbdCommand.WRITE_ZEROES, offset, length, NbdError.EPERM.code()));
    }

    @Override
    public CompletableFuture<Void> writeZeroBytes(long offset, int length) {
        return CompletableFuture.failedFuture(TargetCommandException.of(NbdCommand.WRITE, offset, length, NbdError.EPERM.code()));
    }

    @Override
    public CompletableFuture<ByteBuffer> read(long offset, int length) {
        return CompletableFuture.failedFuture(new TargetCommandException(NbdCommand.READ, offset, length, 0,
            name() + ": the image reader maps but does not read content"));
    }
}
