package org.nbdscope.engine.zero;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.proto.NbdInfo;
import tools.jackson.databind.json.JsonMapper;

class CompareTest {
    static final long TIB = 1L << 40;
    static final long GIB = 1L << 30;

    @Test
    void freshDiskWithTheZeroFlagMakesTheProbeWinAndPlanOnlyWithoutConfirmation() {
        FakeTarget t = new FakeTarget(TIB);
        t.init = new InitState(true, NbdInfo.INIT_ZERO);
        Comparison c = Compare.run(t, Confirmation.none(), null, null, ZeroMonitor.NONE);
        assertThat(c.probe().method()).isEqualTo("ZERO_FLAG");
        assertThat(c.probe().roundTrips()).isZero();
        assertThat(c.makeZero().executed()).isFalse();
        assertThat(c.makeZero().wallMillis()).isEqualTo(-1);
        assertThat(c.makeZero().requestsByCommand()).containsEntry("WRITE_ZEROES", 1L);
        assertThat(c.makeZero().detail()).contains("plan only");
        assertThat(c.winner()).isEqualTo("zero probe");
        assertThat(c.why()).contains("zero flag");
        assertThat(t.writes()).isZero();
    }

    @Test
    void confirmedCompareRunsFullMakeZeroWithoutAskingFirst() {
        FakeTarget t = new FakeTarget(TIB).set(GIB, GIB, FakeTarget.DATA);
        Comparison c = Compare.run(t, Confirmation.yes(), null, null, ZeroMonitor.NONE);
        assertThat(c.probe().finalState()).isEqualTo(Answer.NO);
        assertThat(c.makeZero().executed()).isTrue();
        assertThat(c.makeZeroResult().before()).as("full make-zero skips rung 1").isNull();
        assertThat(c.makeZero().finalState()).isEqualTo(Answer.YES);
        assertThat(c.makeZero().requestsByCommand()).containsEntry("WRITE_ZEROES", 1L).containsEntry("BLOCK_STATUS", 1L);
        assertThat(c.winner()).isEqualTo("make-zero");
        assertThat(c.why()).contains("could only answer no");
        assertThat(t.readsAsZero()).isTrue();
    }

    @Test
    void unknownProbeAndRefusedMakeZeroIsNeither() {
        FakeTarget t = new FakeTarget(TIB).set(GIB, GIB, FakeTarget.DATA);
        t.blockStatus = false;
        t.readOnly = true;
        Comparison c = Compare.run(t, Confirmation.yes(), null, null, ZeroMonitor.NONE);
        assertThat(c.probe().finalState()).isEqualTo(Answer.UNKNOWN);
        assertThat(c.winner()).isEqualTo("neither");
        assertThat(c.makeZero().method()).isEqualTo("refused");
        assertThat(t.writes()).isZero();
    }

    @Test
    void theRecordRoundTripsThroughJackson() {
        FakeTarget t = new FakeTarget(TIB).set(GIB, GIB, FakeTarget.DATA);
        t.wide = false;
        t.fastZeroMode = FakeTarget.FastZero.ENOTSUP;
        Comparison c = Compare.run(t, Confirmation.yes(), null, null, ZeroMonitor.NONE);
        Comparison planned = Compare.run(new FakeTarget(TIB), Confirmation.none(), null, null, ZeroMonitor.NONE);
        JsonMapper json = JsonMapper.builder().build();
        for (Comparison x : new Comparison[] {c, planned}) {
            String s = json.writeValueAsString(x);
            assertThat(s).contains("\"winner\"").contains("\"requestsByCommand\"").contains("\"roundTrips\"");
            Comparison back = json.readValue(s, Comparison.class);
            assertThat(back).isEqualTo(x);
        }
    }
}
