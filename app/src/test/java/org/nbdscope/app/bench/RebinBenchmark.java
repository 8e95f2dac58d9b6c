package org.nbdscope.app.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.nbdscope.app.gui.model.RebinIndex;
import org.nbdscope.engine.extent.ExtentMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rebinning a map of 10 million extents to a 2,000-pixel-wide heat-map view (issue 6: at most 16 ms),
 * both by the engine's {@link ExtentMap#rebin} (visits every extent) and by the heat-map's
 * {@link RebinIndex} (cost follows the bins). Run with {@code bench/rebin.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class RebinBenchmark {
    private static final long SIZE = 1L << 40;

    @Param("10000000")
    int extents;

    @Param("2000")
    int bins;

    ExtentMap map;
    float[] out;
    RebinIndex index;

    @Setup
    public void build() {
        map = new ExtentMap(SIZE);
        SplittableRandom rnd = new SplittableRandom(42);
        long avg = SIZE / extents;
        long pos = 0;
        int[] kinds = {0, 2, 3};  // data, allocated zero, hole: neighbours never merge
        for (int i = 0; i < extents - 1; i += 2) {
            long d = rnd.nextLong(avg / 2);
            pos = add(pos, avg + d, kinds[i % 3]);
            if (i + 1 < extents - 1) pos = add(pos, avg - d, kinds[(i + 1) % 3]);
        }
        map.append(pos, SIZE - pos, kinds[(extents - 1) % 3] == kinds[(extents - 2) % 3] ? 1 : kinds[(extents - 1) % 3]);
        if (map.count() != extents) throw new IllegalStateException("built " + map.count() + " extents, wanted " + extents);
        out = new float[4 * bins];
        index = new RebinIndex(map);
        index.update();
    }

    /** What the heat-map does each frame: the whole disk through its {@link RebinIndex}. */
    @Benchmark
    public float[] wholeDiskIndexed() {
        index.update();
        index.rebin(0, SIZE, bins, out);
        return out;
    }

    /** The same zoomed view through the index. */
    @Benchmark
    public float[] zoomedSixteenthIndexed() {
        index.update();
        index.rebin(SIZE / 2, SIZE / 2 + SIZE / 16, bins, out);
        return out;
    }

    private long add(long pos, long len, int status) {
        map.append(pos, len, status);
        return pos + len;
    }

    /** {@link ExtentMap#rebin} over the whole disk: every extent is visited. */
    @Benchmark
    public float[] wholeDisk() {
        map.rebin(0, SIZE, bins, out);
        return out;
    }

    /** Zoomed to a sixteenth of the disk in the middle. */
    @Benchmark
    public float[] zoomedSixteenth() {
        map.rebin(SIZE / 2, SIZE / 2 + SIZE / 16, bins, out);
        return out;
    }
}
