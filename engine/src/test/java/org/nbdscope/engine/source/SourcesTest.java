package org.nbdscope.engine.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.nbd.client.ClientOptions;
import org.nbdscope.engine.nbd.client.NbdConnection;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.testing.Peer;

class SourcesTest {
    @TempDir Path dir;

    @Test
    void notAnNbdUri() {
        assertThatThrownBy(() -> Sources.open("demo-disk", OpenOptions.defaults()))
            .isExactlyInstanceOf(SourceException.class).hasMessage("not an NBD URI, nor an existing file: demo-disk");
        assertThatThrownBy(() -> Sources.open("/var/lib/disk.img", OpenOptions.defaults())).hasMessage("not an NBD URI, nor an existing file: /var/lib/disk.img");
        assertThatThrownBy(() -> Sources.open("http://example.com/", OpenOptions.defaults())).hasMessageStartingWith("not an NBD URI");
    }

    @Test
    void malformedNbdUriNamesTheBadPart() {
        assertThatThrownBy(() -> Sources.open("nbd://localhost:99999/", OpenOptions.defaults()))
            .isInstanceOf(SourceException.class).hasMessageContaining("port 99999");
        assertThatThrownBy(() -> Sources.open("nbd+unix:///x", OpenOptions.defaults())).hasMessageContaining("socket=");
    }

    @Test
    void optionsReachTheClient() {
        OpenOptions o = OpenOptions.defaults().withReadOnly(true).withContexts(List.of("qemu:allocation-depth"));
        ClientOptions c = Sources.clientOptions(o);
        assertThat(c.readOnly()).isTrue();
        assertThat(c.metaContexts()).containsExactly("qemu:allocation-depth");
        assertThat(c.connectTimeout()).isEqualTo(o.connectTimeout());
        assertThat(c.requestTimeout()).isEqualTo(o.requestTimeout());
    }

    @Test
    void opensAnNbdExport() throws Exception {
        try (Peer p = Peer.start(dir, true, "nbdkit", "-f", "-U", "{socket}", "memory", "4M");
             BlockSource s = Sources.open(p.uri(), OpenOptions.defaults().withReadOnly(true))) {
            assertThat(s).isInstanceOf(NbdConnection.class);
            assertThat(s.size()).isEqualTo(4 << 20);
            assertThat(s.readOnly()).isTrue();
            assertThat(s.contexts()).containsExactly(BlockStatusFlags.BASE_ALLOCATION);
            assertThat(s.blockStatus(BlockStatusFlags.BASE_ALLOCATION, 0, 4 << 20, false).get().covered()).isEqualTo(4 << 20);
            assertThat(s.details().get("Header mode")).isEqualTo("structured");
            assertThat(s.stats().roundTrips()).isGreaterThan(1);
        }
    }
}
