package org.nbdscope.engine.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.demo.DemoDisk;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.nbd.client.HeaderMode;
import org.nbdscope.engine.nbd.client.NbdConnection;
import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.scan.ScanResult;

class SourcesDemoTest {
    @Test
    void demoIsServedInProcessAndMapsToItsKnownLayoutInOneRequest() {
        try (BlockSource src = Sources.open(Sources.DEMO, OpenOptions.defaults())) {
            assertThat(src.size()).isEqualTo(DemoDisk.SIZE);
            assertThat(((NbdConnection) src).negotiated().headerMode()).isEqualTo(HeaderMode.EXTENDED);
            ScanResult r = ExtentScanner.scan(src, ScanOptions.defaults());
            assertThat(r.complete()).isTrue();
            ExtentMap expected = DemoDisk.standard().toExtentMap();
            assertThat(r.map().count()).isEqualTo(expected.count());
            for (int i = 0; i < expected.count(); i++) {
                assertThat(r.map().start(i)).isEqualTo(expected.start(i));
                assertThat(r.map().status(i)).isEqualTo(expected.status(i));
            }
            assertThat(r.cost().requests(org.nbdscope.engine.proto.NbdCommand.BLOCK_STATUS)).isEqualTo(1);
        }
    }
}
