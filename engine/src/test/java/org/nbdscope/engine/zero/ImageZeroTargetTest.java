package org.nbdscope.engine.zero;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageZeroTargetTest {
    static final long GIB = 1L << 30;

    @Test
    void qcow2IsProbedThroughItsTablesAndNeverZeroed() {
        FakeTarget tables = new FakeTarget(8 * GIB).set(3 * GIB, 65536, FakeTarget.DATA);
        ImageZeroTarget t = ImageZeroTarget.qcow2(tables);
        ProbeResult r = ZeroProbe.run(t, ProbeOptions.defaults().withRead(true), ZeroMonitor.NONE);
        assertThat(r.source()).isEqualTo(ProbeSource.QCOW2_TABLES);
        assertThat(r.answer()).isEqualTo(Answer.NO);
        assertThat(r.firstNonZero()).isEqualTo(3 * GIB);
        assertThat(r.steps()).extracting(ProbeStep::source).doesNotContain(ProbeSource.ZERO_FLAG);

        MakeZeroResult m = MakeZero.run(t, ZeroOptions.defaults(), Confirmation.yes(), ZeroMonitor.NONE);
        assertThat(m.outcome()).isEqualTo(MakeZeroResult.Outcome.REFUSED);
        assertThat(m.message()).contains("qcow2").contains("qemu-nbd");
        assertThat(MakeZero.plan(t, ZeroOptions.defaults(), ZeroMonitor.NONE).refusal()).contains("qcow2");
        assertThat(tables.writes()).isZero();
        assertThat(tables.commands(org.nbdscope.engine.proto.NbdCommand.READ)).isEmpty();
    }

    @Test
    void theOpenerKnowsQcow2ByItsMagic(@TempDir Path dir) throws Exception {
        Path q = dir.resolve("x.qcow2");
        Files.write(q, new byte[] {'Q', 'F', 'I', (byte) 0xfb, 0, 0, 0, 3});
        Path r = dir.resolve("x.raw");
        Files.write(r, new byte[512]);
        assertThat(ZeroTargets.isQcow2(q)).isTrue();
        assertThat(ZeroTargets.isQcow2(r)).isFalse();
        try (ZeroTarget t = ZeroTargets.open(r.toString(), null, false)) {
            assertThat(t.kind()).isEqualTo(TargetKind.RAW_FILE);
            assertThat(t.readOnly()).isTrue();
            assertThat(t.confirmationName()).isEqualTo("x.raw");
        }
    }
}
