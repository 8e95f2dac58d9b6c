package org.nbdscope.engine.nbd;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.nbd.client.ClientOptions;
import org.nbdscope.engine.nbd.client.HeaderMode;
import org.nbdscope.engine.nbd.client.NbdClient;
import org.nbdscope.engine.nbd.client.NbdConnection;
import org.nbdscope.engine.nbd.server.NbdServer;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdInfo;
import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.testing.TestCertificates;

/**
 * nbdscope's client against nbdscope's server in every mode: extended, structured and simple replies;
 * TLS on and off; the zero flag on and off. Each connection writes, reads back, maps and zeroes.
 */
class OwnClientOwnServerTest {
    private static final long SIZE = 8L << 30;

    @TempDir static Path dir;
    private static TestCertificates certs;

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.create(dir.resolve("pki"));
    }

    static Stream<Arguments> modes() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (HeaderMode mode : HeaderMode.values()) {
            for (boolean tls : new boolean[] {false, true}) {
                for (boolean initState : new boolean[] {false, true}) b.add(Arguments.of(mode, tls, initState));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}, TLS {1}, zero flag {2}")
    @MethodSource("modes")
    void everyMode(HeaderMode mode, boolean tls, boolean initState) throws Exception {
        NbdServer.Builder sb = NbdServer.builder().tcp(InetAddress.getLoopbackAddress(), 0)
            .export("disk", new MemoryBackend(SIZE), "test disk", false)
            .extendedHeaders(mode == HeaderMode.EXTENDED).structuredReplies(mode != HeaderMode.SIMPLE).initState(initState);
        if (tls) sb.tls(certs.serverCert(), certs.serverKey());
        try (NbdServer server = sb.start()) {
            ClientOptions opts = ClientOptions.defaults();
            if (tls) opts = opts.withTls(certs.caCert(), true);
            try (NbdConnection c = NbdClient.connect(NbdUri.parse(server.uri("disk")), opts)) {
                assertThat(c.negotiated().headerMode()).isEqualTo(mode);
                assertThat(c.negotiated().tls()).isEqualTo(tls);
                assertThat(c.negotiated().size()).isEqualTo(SIZE);
                if (initState) {
                    assertThat(c.negotiated().initState()).isEqualTo(NbdInfo.INIT_ZERO | NbdInfo.INIT_SPARSE);
                } else {
                    assertThat(c.negotiated().initState()).isNull();
                }

                byte[] data = new byte[1 << 20];
                Arrays.fill(data, (byte) 0x5a);
                c.write(5L << 30, data, 0).join();
                assertThat(c.read(5L << 30, data.length).join()).isEqualTo(data);
                assertThat(c.read(0, 4096).join()).isEqualTo(new byte[4096]);

                if (mode == HeaderMode.SIMPLE) {
                    assertThat(c.contexts()).isEmpty();    // block status needs structured replies
                } else {
                    ScanResult r = ExtentScanner.scan(c, ScanOptions.defaults());
                    assertThat(r.complete()).isTrue();
                    ExtentMap m = r.map();
                    assertThat(m.statusAt(0)).isEqualTo(3);
                    assertThat(m.statusAt(5L << 30)).isEqualTo(0);
                    assertThat(m.statusAt((5L << 30) + (1 << 20))).isEqualTo(3);
                    long expected = mode == HeaderMode.EXTENDED ? 1 : (SIZE + c.maxStatusLength() - 1) / c.maxStatusLength();
                    assertThat(r.cost().requests(NbdCommand.BLOCK_STATUS)).isLessThanOrEqualTo(expected);
                }

                c.writeZeroes(5L << 30, data.length, 0).join();
                assertThat(c.read(5L << 30, data.length).join()).isEqualTo(new byte[data.length]);
                assertThat(c.stats().bytesSent()).isGreaterThan(data.length);
            }
        }
    }
}
