package org.nbdscope.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.session.ExtentData;
import org.nbdscope.engine.session.SavedScan;
import org.nbdscope.engine.session.Session;
import org.nbdscope.engine.session.SessionFiles;
import org.nbdscope.engine.session.SessionTarget;
import org.nbdscope.engine.session.TargetRef;
import org.nbdscope.engine.source.WireStats;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A session with one scan of 10 million extents on a 1 TiB disk (issue 7: tens of MB, not hundreds): the file's
 * size (printed by the setup as {@code # session file: ... bytes}) and the time to load it (read, check,
 * inflate, decode into an {@link ExtentMap}), to encode a scan's map (varints, deflate, base64; once per scan)
 * and to save the session (JSON, fsync, rename, backup). Two shapes:
 * {@code aligned} extents are multiples of 4 KiB as file systems and qcow2 clusters make them;
 * {@code bytes} extents have random byte lengths (the worst case for the encoding). Run with {@code bench/session.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class SessionBenchmark {
    private static final long SIZE = 1L << 40;

    @Param("10000000")
    int extents;

    @Param({"aligned", "bytes"})
    String shape;

    ExtentMap map;
    Path dir;
    Path file;
    Path out;
    Session session;

    @Setup(Level.Trial)
    public void build() throws IOException {
        map = new ExtentMap(SIZE);
        SplittableRandom rnd = new SplittableRandom(42);
        long unit = shape.equals("aligned") ? 4096 : 1;
        long avg = SIZE / extents / unit;
        int[] kinds = {0, BlockStatusFlags.STATE_ZERO, BlockStatusFlags.STATE_HOLE | BlockStatusFlags.STATE_ZERO};
        long pos = 0;
        for (int i = 0; i < extents - 1; i++) {
            long len = (1 + rnd.nextLong(2 * avg - 1)) * unit;
            map.append(pos, len, kinds[i % 3]);
            pos += len;
        }
        map.append(pos, SIZE - pos, kinds[(extents - 1) % 3]);
        if (map.count() != extents) throw new IllegalStateException("built " + map.count() + " extents, wanted " + extents);
        ScanResult r = new ScanResult(ScanResult.Outcome.COMPLETE, map, WireStats.ZERO, 1, null);
        session = Session.create("bench").withTarget(SessionTarget.of("t1", TargetRef.of("demo", null), null)
            .withScan(SavedScan.of(r, BlockStatusFlags.BASE_ALLOCATION, Instant.now())));
        dir = Files.createTempDirectory("nbdscope-session-bench");
        file = dir.resolve("ten-million.nbdscope");
        out = dir.resolve("saved.nbdscope");
        SessionFiles.write(file, session);
        long bytes = Files.size(file);
        System.out.printf("%n# session file (%s, %,d extents): %,d bytes = %.1f MB, %.2f bytes per extent%n",
            shape, extents, bytes, bytes / 1e6, (double) bytes / extents);
    }

    @TearDown(Level.Trial)
    public void clean() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(out);
        Files.deleteIfExists(SessionFiles.backupOf(out));
        Files.deleteIfExists(dir);
    }

    /** Open: read, check, inflate and decode into a map the heat-map can show. */
    @Benchmark
    public ExtentMap load() throws IOException {
        return SessionFiles.read(file).targets().getFirst().latestScan().map();
    }

    /** Encode a finished scan's map for saving (done once, when the scan is added to the session). */
    @Benchmark
    public ExtentData encode() {
        return ExtentData.of(map);
    }

    /** Save: encode (the scan's encoding is made once, when it is added), write, fsync, rename, keep the backup. */
    @Benchmark
    public Session save() throws IOException {
        return SessionFiles.write(out, session);
    }
}
