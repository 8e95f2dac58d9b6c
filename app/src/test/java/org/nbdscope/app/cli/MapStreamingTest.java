package org.nbdscope.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.testing.Peer;

/**
 * {@code map} in a child JVM against a slow server: the first lines appear long before the scan could
 * end, and Ctrl-C (SIGINT) stops it cleanly with exit code 130, leaving only whole, correct lines.
 */
class MapStreamingTest {
    @TempDir
    Path dir;

    @Test
    void aQuickExitLosesNoOutput() throws Exception {
        // as the launchers run the command line: halt at the end without stopping the event loops first
        try (Peer p = Peer.start(dir, false, "nbdkit", "-f", "--exit-with-parent", "-i", "127.0.0.1", "-p", "{port}",
                "sparse-random", "1T", "seed=7")) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path out = dir.resolve("out.txt");
            Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED",
                "-XX:UserThreadWaitAttemptsAtExit=0", "-Dnbdscope.quickExit=true", "-cp", System.getProperty("java.class.path"),
                "org.nbdscope.app.Main", "map", p.uri())
                .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
            String theirs = Peer.run(Duration.ofSeconds(60), "nbdinfo", "--map", p.uri());
            assertThat(Files.readString(out)).isEqualTo(theirs);
        }
    }

    @Test
    void linesStreamAndCtrlCCancelsCleanly() throws Exception {
        // 64 GiB of sparse-random behind 2 s per block-status request, two at a time: a full map would take
        // about 17 s; the test waits for the first line only. The same export without the delay is the reference.
        try (Peer p = Peer.start(dir, false, "nbdkit", "-f", "--exit-with-parent", "-i", "127.0.0.1", "-p", "{port}",
                "--filter=delay", "sparse-random", "64G", "seed=42", "delay-extents=2");
             Peer fast = Peer.start(dir, false, "nbdkit", "-f", "--exit-with-parent", "-i", "127.0.0.1", "-p", "{port}",
                "sparse-random", "64G", "seed=42")) {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path err = dir.resolve("err.txt");
            Process child = new ProcessBuilder(java.toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), "org.nbdscope.app.Main", "map", "--in-flight", "2", p.uri())
                .redirectError(err.toFile()).start();
            List<String> lines = new ArrayList<>();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String first = r.readLine();
                assertThat(first).as("first line, stderr: %s", Files.exists(err) ? Files.readString(err) : "").isNotNull();
                lines.add(first);
                assertThat(child.isAlive()).as("still scanning after its first line").isTrue();
                Peer.run(Duration.ofSeconds(10), "kill", "-INT", Long.toString(child.pid()));
                for (String l; (l = r.readLine()) != null; ) lines.add(l);
            }
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(ExitCodes.CANCELLED);
            // (the test class path has SLF4J, which introduces itself on standard error; the launcher's has not)
            List<String> errors = Files.readAllLines(err).stream().filter(l -> !l.startsWith("SLF4J")).toList();
            assertThat(errors).hasSize(1);
            assertThat(errors.getFirst()).startsWith("nbdscope: map: cancelled after mapping ").endsWith(" of 68719476736 bytes");
            // what was printed is a prefix of the real map, line for line
            String theirs = Peer.run(Duration.ofSeconds(60), "nbdinfo", "--map", fast.uri());
            assertThat(lines.size()).isLessThan((int) theirs.lines().count());
            assertThat(theirs).startsWith(String.join("\n", lines) + "\n");
        }
    }
}
