package org.nbdscope.app.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.nbdscope.app.synthetic.SyntheticLayout.GiB;
import static org.nbdscope.app.synthetic.SyntheticLayout.TiB;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.scan.ScanResult;

class SyntheticDiskTest {
    @Test
    void layoutLooksLikeARealDisk() {
        SyntheticLayout l = SyntheticLayout.demo();
        assertThat(l.size()).isEqualTo(TiB);
        assertThat(l.extents()).isBetween(500, 5000);
        long[] t = l.totals();
        assertThat(t[0]).as("data").isBetween(4 * GiB, 16 * GiB);
        assertThat(t[1]).as("allocated zero").isEqualTo(64 * GiB);
        for (SyntheticLayout.Region r : new SyntheticLayout.Region[] {SyntheticLayout.PARTITION_TABLE, SyntheticLayout.SYSTEM,
            SyntheticLayout.PREALLOCATED, SyntheticLayout.DATABASE, SyntheticLayout.LARGE_HOLE, SyntheticLayout.LOG,
            SyntheticLayout.BACKUP_GPT}) {
            assertThat(l.uniformStatus(r.from(), r.to())).as(r.what()).isEqualTo(r.status());
        }
        assertThat(l.statusAt(TiB - 1)).isEqualTo(SyntheticLayout.DATA);
        assertThat(l.uniformStatus(0, 2 * GiB)).isEqualTo(-2);
    }

    @Test
    void scanningItGivesExactlyTheLayout() {
        SyntheticDisk d = new SyntheticDisk("t", SyntheticLayout.demo(), new SyntheticDisk.Behaviour(0, 64, 8, -1));
        ScanResult r = ExtentScanner.scan(d, ScanOptions.defaults().withInFlight(d.preferredInFlight()));
        assertThat(r.complete()).isTrue();
        ExtentMap m = r.map();
        SyntheticLayout l = d.layout();
        assertThat(m.count()).isEqualTo(l.extents());
        for (int i = 0; i < l.extents(); i++) {
            assertThat(m.start(i)).isEqualTo(l.start(i));
            assertThat(m.status(i)).isEqualTo(l.status(i));
        }
        // 32-bit requests: at least one per 4 GiB, more where answers are capped at 64 descriptors
        assertThat(r.cost().requests(NbdCommand.BLOCK_STATUS)).isGreaterThanOrEqualTo(257);
    }

    @Test
    void aFailingRequestFailsTheScanWithAReadableMessage() {
        SyntheticDisk d = new SyntheticDisk("t", SyntheticLayout.demo(), new SyntheticDisk.Behaviour(0, 64, 4, -1).failingAt(300 * GiB));
        ScanResult r = ExtentScanner.scan(d, ScanOptions.defaults().withInFlight(4));
        assertThat(r.outcome()).isEqualTo(ScanResult.Outcome.FAILED);
        assertThat(r.error()).contains("NBD_EIO");
        assertThat(r.map().statusAt(TiB - 1)).isEqualTo(ExtentMap.UNKNOWN);
    }

    @Test
    void refusesOtherContextsAndRangesOutside() {
        SyntheticDisk d = SyntheticDisk.demo();
        assertThat(d.blockStatus("qemu:allocation-depth", 0, 4096, false)).isCompletedExceptionally();
        assertThat(d.blockStatus("base:allocation", TiB - 10, 20, false)).isCompletedExceptionally();
        assertThat(d.blockStatus("base:allocation", 0, 1 << 20, true).join().count()).isEqualTo(1);
    }
}
