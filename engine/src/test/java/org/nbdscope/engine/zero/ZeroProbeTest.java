package org.nbdscope.engine.zero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdInfo;
import org.nbdscope.engine.source.SourceException;

class ZeroProbeTest {
    static final long TIB = 1L << 40;
    static final long GIB = 1L << 30;
    static final long MIB = 1L << 20;

    @Test
    void zeroFlagAnswersYesWithNoRequestsAtAll() {
        FakeTarget t = new FakeTarget(TIB);
        t.init = new InitState(true, NbdInfo.INIT_ZERO | NbdInfo.INIT_SPARSE);
        ProbeResult r = ZeroProbe.run(t);
        assertThat(r.answer()).isEqualTo(Answer.YES);
        assertThat(r.source()).isEqualTo(ProbeSource.ZERO_FLAG);
        assertThat(r.cost().requests()).isZero();
        assertThat(r.cost().roundTrips()).isZero();
        assertThat(r.cost().bytesSent() + r.cost().bytesReceived()).isZero();
        assertThat(t.log).isEmpty();
    }

    @Test
    void absentZeroFlagIsUnknownNeverNotZero() {
        FakeTarget t = new FakeTarget(TIB);
        ProbeResult r = ZeroProbe.run(t);
        assertThat(r.steps().getFirst().source()).isEqualTo(ProbeSource.ZERO_FLAG);
        assertThat(r.steps().getFirst().answer()).isEqualTo(Answer.UNKNOWN);
        assertThat(r.steps().getFirst().note()).contains("not sent");
        // and block status then answers
        assertThat(r.answer()).isEqualTo(Answer.YES);
        assertThat(r.source()).isEqualTo(ProbeSource.BLOCK_STATUS_64);
    }

    @Test
    void zeroFlagWithoutZeroBitOrOnlySparseFallsThrough() {
        for (int flags : new int[] {0, NbdInfo.INIT_SPARSE}) {
            FakeTarget t = new FakeTarget(TIB).set(5 * GIB, MIB, FakeTarget.DATA);
            t.init = new InitState(true, flags);
            ProbeResult r = ZeroProbe.run(t);
            assertThat(r.steps().getFirst().answer()).isEqualTo(Answer.UNKNOWN);
            assertThat(r.answer()).isEqualTo(Answer.NO);
            assertThat(r.source()).isEqualTo(ProbeSource.BLOCK_STATUS_64);
            assertThat(r.firstNonZero()).isEqualTo(5 * GIB);
        }
    }

    @Test
    void zeroFlagIsIgnoredOnceTheConnectionHasWritten() {
        FakeTarget t = new FakeTarget(TIB).set(0, MIB, FakeTarget.DATA);
        t.init = new InitState(true, NbdInfo.INIT_ZERO);
        t.modified = true;
        ProbeResult r = ZeroProbe.run(t);
        assertThat(r.answer()).isEqualTo(Answer.NO);
        assertThat(r.steps().getFirst().note()).contains("connection time");
    }

    @Test
    void sixtyFourBitProbeIsOneRequestWithReqOneOverTheWholeExport() {
        FakeTarget t = new FakeTarget(TIB);
        ProbeResult r = ZeroProbe.run(t);
        assertThat(r.answer()).isEqualTo(Answer.YES);
        assertThat(r.source()).isEqualTo(ProbeSource.BLOCK_STATUS_64);
        assertThat(t.log).containsExactly(new FakeTarget.Cmd(NbdCommand.BLOCK_STATUS, 0, TIB, NbdCommand.FLAG_REQ_ONE));
        assertThat(r.cost().requests()).isEqualTo(1);
        assertThat(r.cost().roundTrips()).isEqualTo(1);
    }

    @Test
    void sixtyFourBitProbeSaysNoAtTheFirstDataExtent() {
        FakeTarget t = new FakeTarget(TIB).set(0, 4096, FakeTarget.DATA);
        ProbeResult r = ZeroProbe.run(t);
        assertThat(r.answer()).isEqualTo(Answer.NO);
        assertThat(r.firstNonZero()).isZero();
        assertThat(t.log).hasSize(1);
    }

    @Test
    void sixtyFourBitProbeAsksTwiceWithReqOneThenForManyExtents() {
        FakeTarget t = new FakeTarget(TIB).set(GIB, GIB, FakeTarget.ZERO).set(3 * GIB, 4096, FakeTarget.DATA);
        ProbeResult r = ZeroProbe.run(t);
        assertThat(r.answer()).isEqualTo(Answer.NO);
        assertThat(r.firstNonZero()).isEqualTo(3 * GIB);
        assertThat(r.zeroPrefix()).isEqualTo(3 * GIB);
        assertThat(t.log).extracting(FakeTarget.Cmd::flags).containsExactly(NbdCommand.FLAG_REQ_ONE, NbdCommand.FLAG_REQ_ONE, 0);
    }

    @Test
    void thirtyTwoBitProbeOfAnAllZeroTebibyteNeedsCeilSizeOverMaxRequests() {
        FakeTarget t = new FakeTarget(TIB);
        t.wide = false;
        ProbeResult r = ZeroProbe.run(t);
        assertThat(r.answer()).isEqualTo(Answer.YES);
        assertThat(r.source()).isEqualTo(ProbeSource.BLOCK_STATUS_32);
        long max = ZeroTarget.max32(1, 0);
        assertThat(r.cost().requests()).isEqualTo(Math.ceilDiv(TIB, max)).isEqualTo(257);
        for (FakeTarget.Cmd c : t.log) assertThat(c.length()).isLessThanOrEqualTo(ZeroTarget.MAX_32);
        assertThat(t.log.getFirst().flags()).isEqualTo(NbdCommand.FLAG_REQ_ONE);
    }

    @Test
    void thirtyTwoBitProbeStopsSoonAfterTheFirstNonZeroExtent() {
        FakeTarget t = new FakeTarget(TIB).set(10 * GIB, MIB, FakeTarget.DATA);
        t.wide = false;
        t.async = true;
        ProbeResult r = ZeroProbe.run(t, ProbeOptions.defaults().withInFlight(4), ZeroMonitor.NONE);
        assertThat(r.answer()).isEqualTo(Answer.NO);
        assertThat(r.firstNonZero()).isEqualTo(10 * GIB);
        // the REQ_ONE questions, the chunks up to 10 GiB, and at most the window's worth beyond
        assertThat(r.cost().requests()).isLessThanOrEqualTo(2 + 2 + 4);
        assertThat(t.maxInFlight).isLessThanOrEqualTo(4);
    }

    @Test
    void partialRepliesAreFollowedUpInsideTheirChunk() {
        FakeTarget t = new FakeTarget(64 * GIB);
        t.wide = false;
        t.maxDescriptors = 1;
        for (long off = 0; off < 20 * GIB; off += 2 * GIB) t.set(off, GIB, FakeTarget.ZERO);
        ProbeResult r = ZeroProbe.run(t);
        assertThat(r.answer()).isEqualTo(Answer.YES);
        assertThat(r.zeroPrefix()).isEqualTo(64 * GIB);
    }

    @Test
    void withoutBlockStatusTheAnswerIsUnknownUnlessReadingIsAllowed() {
        FakeTarget t = new FakeTarget(64 * MIB).set(40 * MIB, 4096, FakeTarget.DATA);
        t.blockStatus = false;
        ProbeResult r = ZeroProbe.run(t);
        assertThat(r.answer()).isEqualTo(Answer.UNKNOWN);
        assertThat(r.source()).isEqualTo(ProbeSource.NONE);
        assertThat(r.detail()).contains("--read");
        assertThat(t.log).isEmpty();

        List<String> notices = new ArrayList<>();
        List<Integer> logSizeAtNotice = new ArrayList<>();
        CancelToken m = new CancelToken(s -> { notices.add(s); logSizeAtNotice.add(t.log.size()); }, null);
        r = ZeroProbe.run(t, ProbeOptions.defaults().withRead(true), m);
        assertThat(r.answer()).isEqualTo(Answer.NO);
        assertThat(r.source()).isEqualTo(ProbeSource.READ);
        assertThat(r.firstNonZero()).isEqualTo(40 * MIB);
        assertThat(notices).anySatisfy(s -> assertThat(s).contains("costly"));
        assertThat(logSizeAtNotice.getFirst()).as("said so before the first READ").isZero();
    }

    @Test
    void readingConfirmsDataExtentsThatHoldOnlyZeroesAndReadsNothingElse() {
        FakeTarget t = new FakeTarget(TIB).set(GIB, 8 * MIB, FakeTarget.DATA_ZEROS).set(100 * GIB, 4 * MIB, FakeTarget.DATA_ZEROS);
        ProbeResult plain = ZeroProbe.run(t);
        assertThat(plain.answer()).isEqualTo(Answer.NO);
        t.log.clear();
        ProbeResult r = ZeroProbe.run(t, ProbeOptions.defaults().withRead(true), ZeroMonitor.NONE);
        assertThat(r.answer()).isEqualTo(Answer.YES);
        assertThat(r.source()).isEqualTo(ProbeSource.READ);
        long readBytes = t.commands(NbdCommand.READ).stream().mapToLong(FakeTarget.Cmd::length).sum();
        assertThat(readBytes).isEqualTo(12 * MIB);
    }

    @Test
    void aProbeNeverWrites() {
        FakeTarget t = new FakeTarget(TIB).set(GIB, MIB, FakeTarget.DATA);
        for (boolean wide : new boolean[] {true, false}) {
            for (boolean read : new boolean[] {true, false}) {
                t.wide = wide;
                ZeroProbe.run(t, ProbeOptions.defaults().withRead(read), ZeroMonitor.NONE);
            }
        }
        assertThat(t.writes()).isZero();
    }

    @Test
    void failingBlockStatusFailsTheProbe() {
        FakeTarget t = new FakeTarget(TIB);
        t.failBlockStatus = true;
        assertThatThrownBy(() -> ZeroProbe.run(t)).isInstanceOf(SourceException.class).hasMessageContaining("NBD_EIO");
    }

    @Test
    void cancellingStopsTheWalk() {
        FakeTarget t = new FakeTarget(TIB);
        t.wide = false;
        CancelToken c = new CancelToken();
        c.cancel();
        ProbeResult r = ZeroProbe.run(t, ProbeOptions.defaults(), c);
        assertThat(r.answer()).isEqualTo(Answer.UNKNOWN);
        assertThat(r.detail()).contains("cancelled");
        assertThat(r.cost().requests()).isLessThan(20);
    }

    @Test
    void aRawFileAnswersFromSeekData() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("probe", ".raw");
        try {
            try (var raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
                raf.setLength(GIB);
            }
            try (RawFileZeroTarget t = RawFileZeroTarget.open(f, false)) {
                ProbeResult r = ZeroProbe.run(t);
                assertThat(r.answer()).isEqualTo(Answer.YES);
                assertThat(r.source()).isEqualTo(ProbeSource.FILE_SEEK);
                assertThat(r.cost().requests()).isEqualTo(1);
            }
            try (var raf = new java.io.RandomAccessFile(f.toFile(), "rw")) {
                raf.seek(300 * MIB);
                raf.write(new byte[4096]); // allocated, but zero bytes
            }
            try (RawFileZeroTarget t = RawFileZeroTarget.open(f, false)) {
                ProbeResult r = ZeroProbe.run(t);
                assertThat(r.answer()).isEqualTo(Answer.NO);
                assertThat(r.firstNonZero()).isEqualTo(300 * MIB);
                ProbeResult content = ZeroProbe.run(t, ProbeOptions.defaults().withRead(true), ZeroMonitor.NONE);
                assertThat(content.answer()).isEqualTo(Answer.YES);
                assertThat(content.source()).isEqualTo(ProbeSource.READ);
                assertThat(t.stats().requests(NbdCommand.WRITE) + t.stats().requests(NbdCommand.WRITE_ZEROES)).isZero();
            }
        } finally {
            java.nio.file.Files.deleteIfExists(f);
        }
    }
}
