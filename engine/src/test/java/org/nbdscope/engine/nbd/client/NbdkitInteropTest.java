package org.nbdscope.engine.nbd.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.TransmissionFlags;
import org.nbdscope.engine.source.ExtentBatch;
import org.nbdscope.engine.testing.Peer;

class NbdkitInteropTest {
    @TempDir Path dir;

    @Test
    void memoryReadWriteZeroTrimFlush() throws Exception {
        try (Peer p = Peer.start(dir, false, "nbdkit", "-f", "-p", "{port}", "-i", "127.0.0.1", "memory", "64M");
             NbdConnection c = NbdClient.connect(NbdUri.parse(p.uri()), ClientOptions.defaults())) {
            Negotiated n = c.negotiated();
            assertThat(n.size()).isEqualTo(64L << 20);
            assertThat(n.headerMode()).isEqualTo(HeaderMode.STRUCTURED);
            assertThat(n.finalOption().name()).isEqualTo("GO");
            assertThat(n.metaContexts()).containsKey("base:allocation");
            assertThat(n.initState()).isNull();
            assertThat(n.has(TransmissionFlags.SEND_WRITE_ZEROES)).isTrue();

            byte[] data = new byte[1 << 20];
            for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 31 + 7);
            c.write(4096, data, 0).get();
            c.flush().get();
            assertThat(c.read(4096, data.length).get()).isEqualTo(data);

            ExtentBatch b = c.blockStatus("base:allocation", 0, 64L << 20, false).get();
            assertThat(b.offset()).isZero();
            assertThat(b.covered()).isEqualTo(64L << 20);
            assertThat(b.status()[0]).isEqualTo(3);

            c.writeZeroes(4096, 1 << 20, NbdCommand.FLAG_FAST_ZERO).get();
            assertThat(c.read(4096, 8192).get()).containsOnly(0);
            assertThat(c.stats().requests(NbdCommand.WRITE_ZEROES)).isEqualTo(1);
        }
    }
}
