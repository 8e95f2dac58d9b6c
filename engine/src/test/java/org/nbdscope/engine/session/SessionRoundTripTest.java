package org.nbdscope.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.extent.ExtentMap;

class SessionRoundTripTest {

    @Test
    void everyFieldSurvivesARoundTrip() throws Exception {
        Session s = Sessions.full();
        byte[] json = SessionFiles.toBytes(s);
        Session back = SessionFiles.parse(json, "test");
        assertThat(back.schema()).isEqualTo(Session.SCHEMA);
        assertThat(back.nbdscopeVersion()).isEqualTo("0.1.0");
        assertThat(back.created()).isEqualTo(s.created());
        assertThat(back.modified()).isEqualTo(s.modified());
        assertThat(back.view()).isEqualTo(s.view());
        assertThat(back.extra()).isEqualTo(s.extra());
        assertThat(back.targets()).hasSize(2);
        SessionTarget a = s.targets().getFirst(), b = back.targets().getFirst();
        assertThat(b.id()).isEqualTo(a.id());
        assertThat(b.target()).isEqualTo(a.target());
        assertThat(b.facts()).isEqualTo(a.facts());
        assertThat(b.notes()).isEqualTo(a.notes());
        assertThat(b.view()).isEqualTo(a.view());
        assertThat(b.probes()).isEqualTo(a.probes());
        assertThat(b.makeZeros()).isEqualTo(a.makeZeros());
        assertThat(b.comparisons()).isEqualTo(a.comparisons());
        assertThat(b.scans()).hasSize(2);
        for (int i = 0; i < 2; i++) {
            SavedScan x = a.scans().get(i), y = b.scans().get(i);
            assertThat(y.at()).isEqualTo(x.at());
            assertThat(y.outcome()).isEqualTo(x.outcome());
            assertThat(y.error()).isEqualTo(x.error());
            assertThat(y.context()).isEqualTo(x.context());
            assertThat(y.cost()).isEqualTo(x.cost());
            assertSameMap(y.map(), x.map());
            assertThat(y.extents().encoded()).isEqualTo(x.extents().encoded());
        }
        assertThat(back.targets().get(1)).isEqualTo(s.targets().get(1));
        // written again, byte for byte the same
        assertThat(new String(SessionFiles.toBytes(back), StandardCharsets.UTF_8)).isEqualTo(new String(json, StandardCharsets.UTF_8));
    }

    static void assertSameMap(ExtentMap a, ExtentMap b) {
        assertThat(a.size()).isEqualTo(b.size());
        assertThat(a.covered()).isEqualTo(b.covered());
        assertThat(a.startsCopy()).isEqualTo(b.startsCopy());
        assertThat(a.statusCopy()).isEqualTo(b.statusCopy());
    }
}
