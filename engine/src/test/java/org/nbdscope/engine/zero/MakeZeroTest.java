package org.nbdscope.engine.zero;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdInfo;

class MakeZeroTest {
    static final long TIB = 1L << 40;
    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;

    static FakeTarget withData(long size) {
        return new FakeTarget(size).set(5 * GIB, 3 * MIB, FakeTarget.DATA).set(200 * GIB, GIB, FakeTarget.DATA)
            .set(size - MIB, MIB, FakeTarget.DATA);
    }

    static MakeZeroResult run(FakeTarget t, ZeroOptions o) {
        return MakeZero.run(t, o, Confirmation.yes(), ZeroMonitor.NONE);
    }

    @Test
    void extendedHeadersAndFastZeroMakeATebibyteZeroWithOneRequest() {
        FakeTarget t = withData(TIB);
        MakeZeroResult r = run(t, ZeroOptions.defaults());
        assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.ZEROED);
        assertThat(r.strategy()).isEqualTo(Strategy.FAST_ZERO);
        List<FakeTarget.Cmd> wz = t.commands(NbdCommand.WRITE_ZEROES);
        assertThat(wz).hasSize(1);
        // the probe found zero up to 5 GiB, so the one request starts there and runs to the end
        assertThat(wz.getFirst()).isEqualTo(new FakeTarget.Cmd(NbdCommand.WRITE_ZEROES, 5 * GIB, TIB - 5 * GIB, NbdCommand.FLAG_FAST_ZERO));
        assertThat(r.zeroCost().requests()).isEqualTo(1);
        assertThat(r.before().answer()).isEqualTo(Answer.NO);
        assertThat(r.verify().answer()).isEqualTo(Answer.YES);
        assertThat(r.verify().source()).isEqualTo(ProbeSource.BLOCK_STATUS_64);
        // probe: REQ_ONE finds the hole before 5 GiB, a second REQ_ONE the data; one WRITE_ZEROES; verify: one REQ_ONE
        assertThat(r.before().cost().requests()).isEqualTo(2);
        assertThat(r.verify().cost().requests()).isEqualTo(1);
        assertThat(r.cost().requests()).isEqualTo(4);
        assertThat(t.readsAsZero()).isTrue();
    }

    @Test
    void alreadyZeroSkipsAllWrites() {
        FakeTarget t = new FakeTarget(TIB);
        t.init = new InitState(true, NbdInfo.INIT_ZERO);
        MakeZeroResult r = run(t, ZeroOptions.defaults());
        assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.ALREADY_ZERO);
        assertThat(r.finalState()).isEqualTo(Answer.YES);
        assertThat(t.log).isEmpty();
    }

    @Test
    void thirtyTwoBitFastZeroSendsOneRequestPerChunkWithinTheLimit() {
        FakeTarget t = new FakeTarget(TIB).set(0, MIB, FakeTarget.DATA);
        t.wide = false;
        t.async = true;
        MakeZeroResult r = run(t, ZeroOptions.defaults());
        assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.ZEROED);
        assertThat(r.strategy()).isEqualTo(Strategy.FAST_ZERO);
        List<FakeTarget.Cmd> wz = t.commands(NbdCommand.WRITE_ZEROES);
        assertThat(wz).hasSize((int) Math.ceilDiv(TIB, ZeroTarget.max32(1, 0))).hasSize(257);
        assertThat(wz).allSatisfy(c -> {
            assertThat(c.length()).isLessThanOrEqualTo(ZeroTarget.MAX_32);
            assertThat(c.flags() & NbdCommand.FLAG_FAST_ZERO).isNotZero();
        });
        assertThat(t.maxInFlight).isLessThanOrEqualTo(ZeroOptions.DEFAULT_IN_FLIGHT);
        assertThat(t.readsAsZero()).isTrue();
    }

    @Test
    void enotsupToFastZeroFallsBackToZeroingOnlyTheExtentsThatAreNotZero() {
        for (boolean wide : new boolean[] {true, false}) {
            FakeTarget t = withData(TIB);
            t.wide = wide;
            t.fastZeroMode = FakeTarget.FastZero.ENOTSUP;
            MakeZeroResult r = run(t, ZeroOptions.defaults());
            assertThat(r.outcome()).as("wide=" + wide).isEqualTo(MakeZeroResult.Outcome.ZEROED);
            assertThat(r.strategy()).isEqualTo(Strategy.ZERO_EXTENTS);
            assertThat(r.attempts()).extracting(Attempt::strategy).containsExactly(Strategy.FAST_ZERO, Strategy.ZERO_EXTENTS);
            assertThat(r.attempts().getFirst().completed()).isFalse();
            assertThat(r.attempts().getFirst().note()).contains("NBD_ENOTSUP");
            List<FakeTarget.Cmd> plain = t.commands(NbdCommand.WRITE_ZEROES).stream().filter(c -> c.flags() == 0).toList();
            // exactly the three data runs
            assertThat(plain).extracting(FakeTarget.Cmd::offset).containsExactly(5 * GIB, 200 * GIB, TIB - MIB);
            assertThat(plain).extracting(FakeTarget.Cmd::length).containsExactly(3 * MIB, GIB, MIB);
            assertThat(t.readsAsZero()).isTrue();
        }
    }

    @Test
    void withoutFastZeroItZeroesTheMappedExtentsAndNeverSendsTheFlag() {
        FakeTarget t = withData(TIB);
        t.fastZero = false;
        MakeZeroResult r = run(t, ZeroOptions.defaults());
        assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.ZEROED);
        assertThat(r.strategy()).isEqualTo(Strategy.ZERO_EXTENTS);
        assertThat(t.commands(NbdCommand.WRITE_ZEROES)).hasSize(3).allSatisfy(c -> assertThat(c.flags()).isZero());
    }

    @Test
    void aLongDataRunIsChunkedWithinThirtyTwoBits() {
        FakeTarget t = new FakeTarget(TIB).set(GIB, 10 * GIB, FakeTarget.DATA);
        t.wide = false;
        t.fastZero = false;
        MakeZeroResult r = run(t, ZeroOptions.defaults());
        assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.ZEROED);
        List<FakeTarget.Cmd> wz = t.commands(NbdCommand.WRITE_ZEROES);
        assertThat(wz).hasSize(3).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(ZeroTarget.MAX_32));
        assertThat(wz.stream().mapToLong(FakeTarget.Cmd::length).sum()).isEqualTo(10 * GIB);
    }

    @Test
    void anOversizeZeroRequestIsRetriedWithinTheMaximumPayload() {
        FakeTarget t = new FakeTarget(TIB).set(GIB, 100 * MIB, FakeTarget.DATA);
        t.fastZero = false;
        t.zeroOversize = 32 * MIB;
        MakeZeroResult r = run(t, ZeroOptions.defaults());
        assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.ZEROED);
        List<FakeTarget.Cmd> wz = t.commands(NbdCommand.WRITE_ZEROES);
        assertThat(wz.getFirst().length()).isEqualTo(100 * MIB);
        assertThat(wz.subList(1, wz.size())).hasSize(4).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(32 * MIB));
    }

    @Test
    void noWriteZeroesAndNoLiteralPermissionIsRefusedBeforeAnyRequest() {
        FakeTarget t = withData(TIB);
        t.writeZeroes = false;
        MakeZeroResult r = run(t, ZeroOptions.defaults());
        assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.REFUSED);
        assertThat(r.message()).contains("--allow-literal-writes");
        assertThat(t.log).isEmpty();
    }

    @Test
    void literalWritesCoverOnlyTheDataAndAreVerifiedByReadingBack() {
        FakeTarget t = new FakeTarget(64 * GIB).set(GIB, 70 * MIB, FakeTarget.DATA).set(10 * GIB, MIB, FakeTarget.DATA);
        t.writeZeroes = false;
        MakeZeroResult r = run(t, ZeroOptions.defaults().withLiteralWrites(true));
        assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.ZEROED);
        assertThat(r.strategy()).isEqualTo(Strategy.LITERAL);
        List<FakeTarget.Cmd> w = t.commands(NbdCommand.WRITE);
        assertThat(w.stream().mapToLong(FakeTarget.Cmd::length).sum()).isEqualTo(71 * MIB);
        assertThat(w).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(ZeroTarget.PORTABLE_PAYLOAD));
        assertThat(r.verify().source()).isEqualTo(ProbeSource.READ);
        assertThat(t.readsAsZero()).isTrue();
    }

    @Test
    void readOnlyExportsAreRefusedWithoutSendingAnything() {
        FakeTarget t = withData(TIB);
        t.readOnly = true;
        for (Strategy s : new Strategy[] {null, Strategy.FAST_ZERO, Strategy.LITERAL}) {
            MakeZeroResult r = run(t, ZeroOptions.defaults().withStrategy(s).withLiteralWrites(true));
            assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.REFUSED);
            assertThat(r.message()).contains("read-only");
        }
        assertThat(t.log).isEmpty();
    }

    @Test
    void confirmationIsRequiredAndATypedNameMustMatch() {
        FakeTarget t = withData(TIB);
        assertThat(MakeZero.run(t, ZeroOptions.defaults(), Confirmation.none(), ZeroMonitor.NONE).outcome())
            .isEqualTo(MakeZeroResult.Outcome.REFUSED);
        MakeZeroResult wrong = MakeZero.run(t, ZeroOptions.defaults(), Confirmation.typed("disk2"), ZeroMonitor.NONE);
        assertThat(wrong.outcome()).isEqualTo(MakeZeroResult.Outcome.REFUSED);
        assertThat(wrong.message()).contains("'disk2'").contains("'disk'");
        assertThat(t.log).isEmpty();
        assertThat(MakeZero.run(t, ZeroOptions.defaults(), Confirmation.typed("disk"), ZeroMonitor.NONE).outcome())
            .isEqualTo(MakeZeroResult.Outcome.ZEROED);
    }

    @Test
    void qcow2IsRefused() {
        FakeTarget t = withData(TIB);
        t.kind = TargetKind.QCOW2;
        MakeZeroResult r = run(t, ZeroOptions.defaults());
        assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.REFUSED);
        assertThat(r.message()).contains("qcow2");
        assertThat(t.log).isEmpty();
    }

    @Test
    void aForcedRungRunsAloneWithoutProbeOrFallback() {
        FakeTarget t = withData(TIB);
        t.fastZeroMode = FakeTarget.FastZero.ENOTSUP;
        MakeZeroResult r = run(t, ZeroOptions.defaults().withStrategy(Strategy.FAST_ZERO));
        assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.FAILED);
        assertThat(r.message()).contains("NBD_ENOTSUP").contains("no fallback");
        assertThat(r.before()).isNull();
        assertThat(t.commands(NbdCommand.WRITE_ZEROES)).hasSize(1);
        assertThat(t.readsAsZero()).isFalse();

        FakeTarget t2 = withData(TIB);
        MakeZeroResult z = run(t2, ZeroOptions.defaults().withStrategy(Strategy.ZERO_EXTENTS));
        assertThat(z.outcome()).isEqualTo(MakeZeroResult.Outcome.ZEROED);
        assertThat(t2.commands(NbdCommand.WRITE_ZEROES)).hasSize(3);

        FakeTarget t3 = withData(TIB);
        t3.fastZero = false;
        MakeZeroResult u = run(t3, ZeroOptions.defaults().withStrategy(Strategy.FAST_ZERO));
        assertThat(u.outcome()).isEqualTo(MakeZeroResult.Outcome.REFUSED);
        assertThat(u.message()).contains("FAST_ZERO");
        assertThat(run(t3, ZeroOptions.defaults().withStrategy(Strategy.FALLOCATE)).outcome()).isEqualTo(MakeZeroResult.Outcome.REFUSED);
        assertThat(run(t3, ZeroOptions.defaults().withStrategy(Strategy.LITERAL)).message()).contains("--allow-literal-writes");
        assertThat(t3.log).isEmpty();
    }

    @Test
    void withoutBlockStatusTheWholeExportIsZeroedAndTheResultIsUnverified() {
        FakeTarget t = withData(16 * GIB);
        t.blockStatus = false;
        t.fastZero = false;
        MakeZeroResult r = run(t, ZeroOptions.defaults());
        assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.UNVERIFIED);
        assertThat(r.finalState()).isEqualTo(Answer.UNKNOWN);
        assertThat(t.commands(NbdCommand.WRITE_ZEROES)).hasSize(1);
        assertThat(t.readsAsZero()).isTrue();
        // with reading allowed, the verification reads and confirms
        t.set(GIB, MIB, FakeTarget.DATA);
        MakeZeroResult read = run(t, ZeroOptions.defaults().withRead(true));
        assertThat(read.outcome()).isEqualTo(MakeZeroResult.Outcome.ZEROED);
    }

    @Test
    void zeroingAfterAReadProbeStartsOnABlockBoundary() {
        FakeTarget t = new FakeTarget(TIB).set(GIB, 4096, FakeTarget.DATA_ZEROS).set(GIB + 1000, 3096, FakeTarget.DATA);
        MakeZeroResult r = run(t, ZeroOptions.defaults().withRead(true));
        assertThat(r.before().source()).isEqualTo(ProbeSource.READ);
        assertThat(r.before().firstNonZero()).isEqualTo(GIB + 1000);
        assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.ZEROED);
        assertThat(t.commands(NbdCommand.WRITE_ZEROES)).singleElement()
            .satisfies(c -> assertThat(c.offset()).isEqualTo(GIB));
    }

    @Test
    void aFailingCommandEndsAsFailedNotAsAnException() {
        FakeTarget t = withData(TIB);
        t.failBlockStatus = true;
        MakeZeroResult r = run(t, ZeroOptions.defaults());
        assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.FAILED);
        assertThat(r.message()).contains("NBD_EIO").contains("nothing was written");
        assertThat(t.writes()).isZero();
    }

    @Test
    void cancellingStopsIssuingAndReportsPartialWork() {
        FakeTarget t = new FakeTarget(TIB).set(0, MIB, FakeTarget.DATA);
        t.wide = false;
        int[] seen = {0};
        ZeroMonitor m = new ZeroMonitor() {
            @Override public void progress(String phase, long done, long total) { if (phase.equals("fast-zero")) seen[0]++; }
            @Override public boolean cancelled() { return seen[0] >= 10; }
        };
        MakeZeroResult r = MakeZero.run(t, ZeroOptions.defaults().withInFlight(1), Confirmation.yes(), m);
        assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.CANCELLED);
        assertThat(t.commands(NbdCommand.WRITE_ZEROES).size()).isBetween(10, 11);
    }

    @Test
    void cancelledLiteralWritesCountEveryWriteThatWasSent() {
        FakeTarget t = new FakeTarget(64 * GIB).set(0, GIB, FakeTarget.DATA);
        t.writeZeroes = false;
        t.async = true;
        int[] seen = {0};
        ZeroMonitor m = new ZeroMonitor() {
            @Override public void progress(String phase, long done, long total) { if (phase.equals("literal")) seen[0]++; }
            @Override public boolean cancelled() { return seen[0] >= 3; }
        };
        MakeZeroResult r = MakeZero.run(t, ZeroOptions.defaults().withLiteralWrites(true), Confirmation.yes(), m);
        assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.CANCELLED);
        long sent = t.commands(NbdCommand.WRITE).stream().mapToLong(FakeTarget.Cmd::length).sum();
        assertThat(r.attempts().getLast().bytes()).isEqualTo(sent).isLessThan(GIB);
        assertThat(t.commands(NbdCommand.WRITE).size()).isLessThanOrEqualTo(3 + ZeroOptions.DEFAULT_IN_FLIGHT);
    }

    @Test
    void planNeverWritesAndPredictsTheRequests() {
        FakeTarget t = withData(TIB);
        Plan p = MakeZero.plan(t, ZeroOptions.defaults(), ZeroMonitor.NONE);
        assertThat(p.strategy()).isEqualTo(Strategy.FAST_ZERO);
        assertThat(p.zeroing().requests()).isEqualTo(1);
        assertThat(p.zeroing().bytesSent()).isEqualTo(32);
        assertThat(p.fallback()).isEqualTo(Strategy.ZERO_EXTENTS);
        assertThat(p.fallbackZeroing().upperBound()).isTrue();
        assertThat(p.verify().requests()).isEqualTo(1);
        assertThat(p.probe().answer()).isEqualTo(Answer.NO);

        FakeTarget narrow = withData(TIB);
        narrow.wide = false;
        Plan q = MakeZero.plan(narrow, ZeroOptions.defaults(), ZeroMonitor.NONE);
        assertThat(q.zeroing().requests()).isLessThanOrEqualTo(257);
        assertThat(q.zeroing().bytesSent()).isEqualTo(28 * q.zeroing().requests());

        FakeTarget slow = withData(TIB);
        slow.fastZero = false;
        Plan s = MakeZero.plan(slow, ZeroOptions.defaults(), ZeroMonitor.NONE);
        assertThat(s.strategy()).isEqualTo(Strategy.ZERO_EXTENTS);
        assertThat(s.zeroing().requestsByCommand()).containsEntry("WRITE_ZEROES", 3L);
        assertThat(s.zeroing().upperBound()).isFalse();

        FakeTarget lit = withData(TIB);
        lit.writeZeroes = false;
        Plan l = MakeZero.plan(lit, ZeroOptions.defaults().withLiteralWrites(true), ZeroMonitor.NONE);
        assertThat(l.strategy()).isEqualTo(Strategy.LITERAL);
        assertThat(l.zeroing().bytesSent()).isGreaterThan(GIB + 4 * MIB);

        FakeTarget ro = withData(TIB);
        ro.readOnly = true;
        Plan r = MakeZero.plan(ro, ZeroOptions.defaults(), ZeroMonitor.NONE);
        assertThat(r.refusal()).contains("read-only");

        for (FakeTarget x : List.of(t, narrow, slow, lit, ro)) assertThat(x.writes()).isZero();
    }

    @Test
    void rawFilesArePunchedWithFallocate() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("mz", ".raw");
        try {
            try (var raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(64 * GIB);
                raf.seek(GIB);
                raf.write(new byte[] {1, 2, 3});
                raf.seek(50 * GIB);
                raf.write(new byte[] {4});
            }
            try (RawFileZeroTarget ro = RawFileZeroTarget.open(f, false)) {
                MakeZeroResult r = MakeZero.run(ro, ZeroOptions.defaults(), Confirmation.yes(), ZeroMonitor.NONE);
                assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.REFUSED);
                assertThat(r.message()).contains("read-only");
            }
            try (RawFileZeroTarget t = RawFileZeroTarget.open(f, true)) {
                MakeZeroResult r = MakeZero.run(t, ZeroOptions.defaults(), Confirmation.yes(), ZeroMonitor.NONE);
                assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.ZEROED);
                assertThat(r.strategy()).isEqualTo(Strategy.FALLOCATE);
                assertThat(r.zeroCost().requests(NbdCommand.WRITE_ZEROES)).isEqualTo(1);
                assertThat(r.verify().source()).isEqualTo(ProbeSource.FILE_SEEK);
            }
            assertThat(java.nio.file.Files.size(f)).isEqualTo(64 * GIB);
            try (RawFileZeroTarget t = RawFileZeroTarget.open(f, false)) {
                assertThat(ZeroProbe.run(t).answer()).isEqualTo(Answer.YES);
            }
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
    }
}
