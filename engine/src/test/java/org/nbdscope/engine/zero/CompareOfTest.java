package org.nbdscope.engine.zero;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.nbd.server.NbdServer;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.source.OpenOptions;

/** {@link Compare#of}: a probe and a make-zero run (or plan) measured one after the other, as the app's buttons do. */
class CompareOfTest {
    static final long TIB = 1L << 40;

    @TempDir
    Path dir;

    private NbdServer server() throws Exception {
        return NbdServer.builder().export("disk", new MemoryBackend(TIB), "test disk", false)
            .unixSocket(dir.resolve("s.sock")).start();
    }

    @Test
    void aProbeThenAConfirmedMakeZeroGiveTheSameRecordAsCompare() throws Exception {
        try (NbdServer s = server(); ZeroTarget t = ZeroTargets.open(s.uri(), OpenOptions.defaults(), true)) {
            ZeroInteropTest.writeData(t, 0, TIB / 2);
            ProbeResult probe = ZeroProbe.run(t);
            assertThat(probe.answer()).isEqualTo(Answer.NO);
            MakeZeroResult run = MakeZero.run(t, ZeroOptions.defaults(), Confirmation.typed("disk"), ZeroMonitor.NONE);
            assertThat(run.outcome()).as(run.message()).isEqualTo(MakeZeroResult.Outcome.ZEROED);

            Comparison c = Compare.of(t, probe, run, null);
            assertThat(c.probe().method()).isEqualTo("BLOCK_STATUS_64");
            assertThat(c.probe().requests()).isEqualTo(probe.cost().requests());
            assertThat(c.makeZero().executed()).isTrue();
            assertThat(c.makeZero().method()).isEqualTo("FAST_ZERO");
            assertThat(c.makeZero().requestsByCommand()).containsEntry("WRITE_ZEROES", 1L);
            assertThat(c.makeZero().finalState()).isEqualTo(Answer.YES);
            assertThat(c.winner()).isEqualTo("make-zero");
            assertThat(c.why()).startsWith("the probe could only answer no (BLOCK_STATUS_64), while make-zero made it zero");
            assertThat(c.makeZeroResult()).isSameAs(run);
            assertThat(c.plan()).isNull();
        }
    }

    @Test
    void withAPlanTheMakeZeroSideIsPredicted() throws Exception {
        try (NbdServer s = server(); ZeroTarget t = ZeroTargets.open(s.uri(), OpenOptions.defaults(), false)) {
            ProbeResult probe = ZeroProbe.run(t);
            Plan plan = MakeZero.plan(t, ZeroOptions.defaults().withSkipProbe(true), ZeroMonitor.NONE);
            Comparison c = Compare.of(t, probe, null, plan);
            assertThat(c.probe().method()).isEqualTo("ZERO_FLAG");
            assertThat(c.probe().roundTrips()).isZero();
            assertThat(c.makeZero().executed()).isFalse();
            assertThat(c.makeZero().wallMillis()).isEqualTo(-1);
            assertThat(c.winner()).isEqualTo("zero probe");
            assertThat(t.stats().requests(org.nbdscope.engine.proto.NbdCommand.WRITE_ZEROES)).isZero();
        }
    }

    @Test
    void itNeedsExactlyOneMakeZeroSide() throws Exception {
        try (NbdServer s = server(); ZeroTarget t = ZeroTargets.open(s.uri(), OpenOptions.defaults(), false)) {
            ProbeResult probe = ZeroProbe.run(t);
            assertThatThrownBy(() -> Compare.of(t, probe, null, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a comparison needs the make-zero run or its plan, not neither");
        }
    }
}
