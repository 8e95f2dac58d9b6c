package org.nbdscope.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.nbdscope.engine.testing.Peer;

/** The independent reader: {@code nbdinfo --map} must show only extents with the zero bit. */
final class ZeroMapCheck {
    private ZeroMapCheck() {}

    static void assertAllZero(String uri) throws Exception {
        String map = Peer.run(Duration.ofSeconds(60), "nbdinfo", "--map", uri);
        assertThat(map).isNotBlank();
        for (String line : map.strip().split("\n")) {
            String[] f = line.trim().split("\\s+");
            assertThat(Integer.parseInt(f[2]) & 2).as("nbdinfo --map line '%s' of\n%s", line, map).isEqualTo(2);
        }
    }
}
