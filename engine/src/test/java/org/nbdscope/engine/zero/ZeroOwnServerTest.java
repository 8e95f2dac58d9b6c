package org.nbdscope.engine.zero;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.nbd.server.NbdServer;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.source.OpenOptions;

/** Probe and make-zero against nbdscope's own server, zero flag on and off, 64-bit and 32-bit. */
class ZeroOwnServerTest {
    static final long TIB = 1L << 40;
    static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    private NbdServer server(boolean initState, boolean extended, boolean fastZero, boolean readOnly) throws Exception {
        return NbdServer.builder().export("disk", new MemoryBackend(TIB), "test disk", readOnly)
            .unixSocket(dir.resolve("s" + System.nanoTime() + ".sock"))
            .initState(initState).extendedHeaders(extended).fastZero(fastZero).start();
    }

    private static ZeroTarget open(NbdServer s, boolean writable) {
        return ZeroTargets.open(s.uri(), OpenOptions.defaults(), writable);
    }

    @Test
    void zeroFlagOnAnswersWithZeroExtraRoundTrips() throws Exception {
        try (NbdServer s = server(true, true, true, false); ZeroTarget t = open(s, false)) {
            assertThat(t.initState().zero()).isTrue();
            ProbeResult r = ZeroProbe.run(t);
            assertThat(r.answer()).isEqualTo(Answer.YES);
            assertThat(r.source()).isEqualTo(ProbeSource.ZERO_FLAG);
            assertThat(r.cost().roundTrips()).isZero();
            assertThat(r.cost().requests()).isZero();
            assertThat(r.cost().bytesSent() + r.cost().bytesReceived()).isZero();
        }
    }

    @Test
    void zeroFlagOffFallsBackToOneSixtyFourBitRequest() throws Exception {
        try (NbdServer s = server(false, true, true, false); ZeroTarget t = open(s, false)) {
            assertThat(t.initState().sent()).isFalse();
            ProbeResult r = ZeroProbe.run(t);
            assertThat(r.answer()).isEqualTo(Answer.YES);
            assertThat(r.source()).isEqualTo(ProbeSource.BLOCK_STATUS_64);
            assertThat(r.cost().requests(NbdCommand.BLOCK_STATUS)).isEqualTo(1);
        }
    }

    @Test
    void withoutExtendedHeadersTheProbeNeedsCeilSizeOverMaxRequest() throws Exception {
        try (NbdServer s = server(false, false, true, false); ZeroTarget t = open(s, false)) {
            assertThat(t.wideLengths()).isFalse();
            ProbeResult r = ZeroProbe.run(t);
            assertThat(r.answer()).isEqualTo(Answer.YES);
            assertThat(r.source()).isEqualTo(ProbeSource.BLOCK_STATUS_32);
            assertThat(r.cost().requests()).isEqualTo(Math.ceilDiv(TIB, t.maxStatusLength()));
        }
    }

    @Test
    void makeZeroWithAndWithoutExtendedHeadersThenTheNextConnectionSeesTheZeroFlag() throws Exception {
        for (boolean extended : new boolean[] {true, false}) {
            try (NbdServer s = server(true, extended, true, false)) {
                try (ZeroTarget t = open(s, true)) {
                    ZeroInteropTest.writeData(t, 0, 100 * GIB, TIB - 65536);
                    assertThat(ZeroProbe.run(t).answer()).as("the zero flag is stale after a write").isEqualTo(Answer.NO);
                    MakeZeroResult r = MakeZero.run(t, ZeroOptions.defaults(), Confirmation.yes(), ZeroMonitor.NONE);
                    assertThat(r.outcome()).as(r.message()).isEqualTo(MakeZeroResult.Outcome.ZEROED);
                    assertThat(r.strategy()).isEqualTo(Strategy.FAST_ZERO);
                    long wz = r.zeroCost().requests(NbdCommand.WRITE_ZEROES);
                    if (extended) assertThat(wz).isEqualTo(1);
                    else assertThat(wz).isLessThanOrEqualTo(Math.ceilDiv(TIB, t.maxZeroLength())).isGreaterThan(200);
                }
                ZeroInteropTest.assertMapAllZero(s.uri());
                try (ZeroTarget fresh = open(s, false)) {
                    ProbeResult again = ZeroProbe.run(fresh);
                    assertThat(again.source()).isEqualTo(ProbeSource.ZERO_FLAG);
                    assertThat(again.answer()).isEqualTo(Answer.YES);
                }
            }
        }
    }

    @Test
    void withoutFastZeroOnlyTheWrittenExtentsAreZeroed() throws Exception {
        try (NbdServer s = server(true, true, false, false)) {
            try (ZeroTarget t = open(s, true)) {
                assertThat(t.canFastZero()).isFalse();
                ZeroInteropTest.writeData(t, 5 * GIB, 700 * GIB);
                MakeZeroResult r = MakeZero.run(t, ZeroOptions.defaults(), Confirmation.yes(), ZeroMonitor.NONE);
                assertThat(r.outcome()).as(r.message()).isEqualTo(MakeZeroResult.Outcome.ZEROED);
                assertThat(r.strategy()).isEqualTo(Strategy.ZERO_EXTENTS);
                assertThat(r.zeroCost().requests(NbdCommand.WRITE_ZEROES)).isEqualTo(2);
            }
            ZeroInteropTest.assertMapAllZero(s.uri());
        }
    }

    @Test
    void compareOnOurServerFavoursTheZeroFlagWhenTheDiskIsFresh() throws Exception {
        try (NbdServer s = server(true, true, true, false); ZeroTarget t = open(s, true)) {
            Comparison c = Compare.run(t, Confirmation.yes(), null, null, ZeroMonitor.NONE);
            assertThat(c.probe().method()).isEqualTo("ZERO_FLAG");
            assertThat(c.probe().roundTrips()).isZero();
            assertThat(c.makeZero().executed()).isTrue();
            assertThat(c.makeZero().finalState()).isEqualTo(Answer.YES);
            assertThat(c.makeZero().requestsByCommand()).containsEntry("WRITE_ZEROES", 1L);
            assertThat(c.winner()).isEqualTo("zero probe");
            assertThat(c.zeroFlag()).contains("zero");
        }
    }

    @Test
    void readOnlyExportIsRefused() throws Exception {
        try (NbdServer s = server(true, true, true, true); ZeroTarget t = open(s, true)) {
            assertThat(t.readOnly()).isTrue();
            MakeZeroResult r = MakeZero.run(t, ZeroOptions.defaults(), Confirmation.yes(), ZeroMonitor.NONE);
            assertThat(r.outcome()).isEqualTo(MakeZeroResult.Outcome.REFUSED);
            assertThat(r.cost().requests()).isZero();
            Comparison c = Compare.run(t, Confirmation.yes(), null, null, ZeroMonitor.NONE);
            assertThat(c.makeZero().executed()).isFalse();
            assertThat(c.plan().refusal()).contains("read-only");
            assertThat(t.stats().requests(NbdCommand.WRITE_ZEROES) + t.stats().requests(NbdCommand.WRITE)).isZero();
        }
    }
}
