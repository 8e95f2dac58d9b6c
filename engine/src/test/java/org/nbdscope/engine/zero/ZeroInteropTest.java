package org.nbdscope.engine.zero;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.source.OpenOptions;
import org.nbdscope.engine.testing.Peer;

/**
 * Probe and make-zero against real servers started here. After every make-zero an independent reader
 * ({@code nbdinfo --map} or {@code qemu-img compare}) must see all zero.
 */
class ZeroInteropTest {
    static final long TIB = 1L << 40;
    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;
    static final Duration T = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** A sparse raw file of {@code size} with a few bytes of data at each offset. */
    static Path sparseFile(Path dir, String name, long size, long... dataAt) throws IOException {
        Path f = dir.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(size);
            for (long off : dataAt) {
                raf.seek(off);
                byte[] b = new byte[65536];
                java.util.Arrays.fill(b, (byte) 0x5a);
                raf.write(b);
            }
        }
        return f;
    }

    /** Runs {@code nbdinfo --map URI} and checks that every extent has the zero bit (type 2 or 3). */
    static String assertMapAllZero(String uri) throws Exception {
        String map = Peer.run(T, "nbdinfo", "--map", uri);
        assertThat(map).isNotBlank();
        for (String line : map.strip().split("\n")) {
            String[] f = line.trim().split("\\s+");
            assertThat(Integer.parseInt(f[2]) & 2).as("nbdinfo --map line '%s' of\n%s", line, map).isEqualTo(2);
        }
        return map;
    }

    static ZeroTarget open(Peer p, boolean writable) {
        return ZeroTargets.open(p.uri(), OpenOptions.defaults(), writable);
    }

    /** Writes some data through our own client (nbdkit memory starts empty). */
    static void writeData(ZeroTarget t, long... offsets) {
        NbdZeroTarget n = (NbdZeroTarget) t;
        byte[] b = new byte[65536];
        java.util.Arrays.fill(b, (byte) 0x33);
        for (long off : offsets) n.connection().write(off, b, 0).join();
    }

    @Test
    void qemuNbdExtendedHeadersAndFastZeroMakeATebibyteZeroWithOneRequest() throws Exception {
        Peer.require("qemu-nbd");
        Path f = sparseFile(dir, "disk.raw", TIB, 0, 7 * GIB, 500 * GIB, TIB - 65536);
        try (Peer p = Peer.start(dir, true, "qemu-nbd", "-f", "raw", "-t", "-e", "2", "--discard=unmap", "-k", "{socket}", f.toString());
             ZeroTarget t = open(p, true)) {
            assertThat(t.headerMode()).isEqualTo("extended");
            assertThat(t.canFastZero()).isTrue();
            ProbeResult before = ZeroProbe.run(t);
            assertThat(before.answer()).isEqualTo(Answer.NO);
            assertThat(before.source()).isEqualTo(ProbeSource.BLOCK_STATUS_64);
            assertThat(before.cost().requests()).isEqualTo(1);

            MakeZeroResult r = MakeZero.run(t, ZeroOptions.defaults(), Confirmation.yes(), ZeroMonitor.NONE);
            assertThat(r.outcome()).as(r.message()).isEqualTo(MakeZeroResult.Outcome.ZEROED);
            assertThat(r.strategy()).isEqualTo(Strategy.FAST_ZERO);
            assertThat(r.zeroCost().requests()).isEqualTo(1);
            assertThat(r.zeroCost().requests(NbdCommand.WRITE_ZEROES)).isEqualTo(1);
            assertThat(r.verify().source()).isEqualTo(ProbeSource.BLOCK_STATUS_64);
            assertThat(r.verify().cost().requests()).isEqualTo(1);
            assertMapAllZero(p.uri());
        }
        Path blank = sparseFile(dir, "blank.raw", TIB);
        Peer.run(T, "qemu-img", "compare", "-f", "raw", "-F", "raw", f.toString(), blank.toString());
    }

    @Test
    void nbdkitMemoryWithoutExtendedHeadersZeroesInThirtyTwoBitChunks() throws Exception {
        try (Peer p = Peer.start(dir, true, "nbdkit", "-f", "-U", "{socket}", "memory", "1T");
             ZeroTarget t = open(p, true)) {
            assertThat(t.wideLengths()).isFalse();
            assertThat(ZeroProbe.run(t).answer()).isEqualTo(Answer.YES);
            writeData(t, 3 * GIB, 600 * GIB, TIB - 65536);
            MakeZeroResult r = MakeZero.run(t, ZeroOptions.defaults(), Confirmation.yes(), ZeroMonitor.NONE);
            assertThat(r.outcome()).as(r.message()).isEqualTo(MakeZeroResult.Outcome.ZEROED);
            assertThat(r.strategy()).isEqualTo(Strategy.FAST_ZERO);
            long max = t.maxZeroLength();
            assertThat(max).isLessThanOrEqualTo(0xffffffffL);
            assertThat(r.zeroCost().requests(NbdCommand.WRITE_ZEROES)).isPositive()
                .isLessThanOrEqualTo(Math.ceilDiv(TIB, max));
            assertThat(r.verify().source()).isEqualTo(ProbeSource.BLOCK_STATUS_32);
            assertThat(r.verify().cost().requests()).isLessThanOrEqualTo(Math.ceilDiv(TIB, t.maxStatusLength()));
            assertMapAllZero(p.uri());
        }
    }

    /** Every nozero mode pair, and the rung that must end up doing the work. */
    @ParameterizedTest(name = "zeromode={0} fastzeromode={1}")
    @CsvSource({
        "emulate, default, ZERO_EXTENTS",
        "emulate, none,    ZERO_EXTENTS",
        "notrim,  default, FAST_ZERO",
        "notrim,  slow,    ZERO_EXTENTS",
        "notrim,  none,    ZERO_EXTENTS",
        "plugin,  ignore,  FAST_ZERO",
        "plugin,  slow,    ZERO_EXTENTS",
        "plugin,  none,    ZERO_EXTENTS",
        "plugin,  default, FAST_ZERO",
        "none,    none,    LITERAL",
    })
    void nozeroFilterExercisesEveryFallback(String zeromode, String fastzeromode, Strategy expected) throws Exception {
        try (Peer p = Peer.start(dir, true, "nbdkit", "-f", "-U", "{socket}", "--filter=nozero", "memory", "64G",
                "zeromode=" + zeromode, "fastzeromode=" + fastzeromode);
             ZeroTarget t = open(p, true)) {
            writeData(t, 0, 5 * GIB, 40 * GIB + 12345 * 4096L);
            ZeroOptions o = ZeroOptions.defaults();
            if (expected == Strategy.LITERAL) {
                assertThat(t.canWriteZeroes()).isFalse();
                MakeZeroResult refused = MakeZero.run(t, o, Confirmation.yes(), ZeroMonitor.NONE);
                assertThat(refused.outcome()).isEqualTo(MakeZeroResult.Outcome.REFUSED);
                assertThat(refused.cost().requests(NbdCommand.WRITE)).isZero();
                o = o.withLiteralWrites(true);
            }
            MakeZeroResult r = MakeZero.run(t, o, Confirmation.yes(), ZeroMonitor.NONE);
            assertThat(r.outcome()).as(r.message()).isEqualTo(MakeZeroResult.Outcome.ZEROED);
            assertThat(r.strategy()).as(r.message()).isEqualTo(expected);
            if (expected == Strategy.ZERO_EXTENTS) {
                // only the three written ranges, never the whole export
                assertThat(r.attempts().getLast().bytes()).isLessThanOrEqualTo(3 * 128 * 1024);
                if (t.canFastZero()) assertThat(r.attempts().getFirst().strategy()).isEqualTo(Strategy.FAST_ZERO);
                else assertThat(r.zeroCost().requests(NbdCommand.WRITE_ZEROES)).isEqualTo(3);
            }
            if (expected == Strategy.LITERAL) assertThat(r.zeroCost().bytesSent()).isGreaterThanOrEqualTo(3 * 65536);
            assertMapAllZero(p.uri());
        }
    }

    @Test
    void readOnlyExportsAreRefusedAndTheLogShowsNoWrite() throws Exception {
        Path f = sparseFile(dir, "ro.raw", 16 * GIB, GIB);
        Path log = dir.resolve("ro.log");
        try (Peer p = Peer.start(dir, true, "nbdkit", "-f", "-r", "-U", "{socket}", "--filter=log", "file", f.toString(), "logfile=" + log);
             ZeroTarget t = open(p, true)) {
            assertThat(t.readOnly()).isTrue();
            MakeZeroResult r = MakeZero.run(t, ZeroOptions.defaults().withLiteralWrites(true), Confirmation.yes(), ZeroMonitor.NONE);
            assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.REFUSED);
            assertThat(r.message()).contains("read-only");
            assertThat(r.cost().requests()).isZero();
        }
        assertThat(writeRequests(log)).isEmpty();
        try (Peer p = Peer.start(dir, true, "qemu-nbd", "-r", "-f", "raw", "-k", "{socket}", f.toString());
             ZeroTarget t = open(p, true)) {
            MakeZeroResult r = MakeZero.run(t, ZeroOptions.defaults(), Confirmation.yes(), ZeroMonitor.NONE);
            assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.REFUSED);
            assertThat(r.cost().requests()).isZero();
        }
    }

    @Test
    void mapProbePlanAndUnconfirmedCompareNeverWriteAsTheLogFilterShows() throws Exception {
        Path f = sparseFile(dir, "w.raw", 64 * GIB, 0, 3 * GIB, 63 * GIB);
        Path log = dir.resolve("w.log");
        try (Peer p = Peer.start(dir, true, "nbdkit", "-f", "-U", "{socket}", "--filter=log", "file", f.toString(), "logfile=" + log)) {
            try (ZeroTarget t = open(p, true)) {
                assertThat(t.readOnly()).isFalse();
                assertThat(ExtentScanner.scan(t, ScanOptions.defaults()).complete()).isTrue();
                assertThat(ZeroProbe.run(t).answer()).isEqualTo(Answer.NO);
                assertThat(ZeroProbe.run(t, ProbeOptions.defaults().withRead(true), ZeroMonitor.NONE).answer()).isEqualTo(Answer.NO);
                for (Strategy s : new Strategy[] {null, Strategy.FAST_ZERO, Strategy.ZERO_EXTENTS, Strategy.LITERAL}) {
                    Plan plan = MakeZero.plan(t, ZeroOptions.defaults().withStrategy(s).withLiteralWrites(true), ZeroMonitor.NONE);
                    if (s != Strategy.FAST_ZERO || t.canFastZero()) assertThat(plan.refusal()).isNull();
                }
                Comparison c = Compare.run(t, Confirmation.none(), null, null, ZeroMonitor.NONE);
                assertThat(c.makeZero().executed()).isFalse();
                assertThat(c.makeZeroResult()).isNull();
                // without confirmation make-zero itself refuses before sending anything
                assertThat(MakeZero.run(t, ZeroOptions.defaults(), Confirmation.none(), ZeroMonitor.NONE).outcome())
                    .isEqualTo(MakeZeroResult.Outcome.REFUSED);
            }
            // and a connection opened for probing only
            try (ZeroTarget t = open(p, false)) {
                assertThat(ZeroProbe.run(t).answer()).isEqualTo(Answer.NO);
            }
        }
        String text = Files.readString(log);
        assertThat(text).contains("Extents").contains("Read");
        assertThat(writeRequests(log)).isEmpty();
        Path blank = sparseFile(dir, "blank.raw", 64 * GIB);
        assertThat(Peer.runResult(T, "qemu-img", "compare", "-f", "raw", "-F", "raw", f.toString(), blank.toString()).exit())
            .as("the data is still there").isEqualTo(1);
    }

    /** The Write, Zero and Trim requests the nbdkit log filter recorded. */
    static List<String> writeRequests(Path log) throws IOException {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("connection=\\d+ (Write|Zero|Trim) id=.*").matcher(Files.readString(log));
        while (m.find()) out.add(m.group());
        return out;
    }
}
