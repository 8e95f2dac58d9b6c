package org.nbdscope.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.demo.DemoDisk;
import org.nbdscope.engine.proto.NbdMagic;
import org.nbdscope.engine.testing.Peer;
import picocli.CommandLine;

class ServeCommandTest {
    @TempDir Path dir;

    /** Runs {@code nbdscope serve ...} on a thread; returns the banner line and the thread. */
    private record Running(Thread thread, String banner, int[] exit) {
        void stop() throws InterruptedException {
            thread.interrupt();
            thread.join(10_000);
        }
    }

    private Running serve(String... args) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        int[] exit = {-1};
        PrintWriter out = new PrintWriter(new java.io.Writer() {
            private final StringBuilder line = new StringBuilder();

            @Override public void write(char[] c, int off, int len) {
                for (int i = off; i < off + len; i++) {
                    if (c[i] == '\n') {
                        lines.add(line.toString());
                        line.setLength(0);
                    } else {
                        line.append(c[i]);
                    }
                }
            }

            @Override public void flush() {}

            @Override public void close() {}
        }, true);
        StringWriter err = new StringWriter();
        Thread t = new Thread(() -> {
            CommandLine cl = NbdscopeCommand.commandLine();
            cl.setOut(out);
            cl.setErr(new PrintWriter(err, true));
            exit[0] = cl.execute(args);
            lines.add("exited " + exit[0] + ": " + err);
        });
        t.start();
        String banner = lines.poll(60, TimeUnit.SECONDS);
        assertThat(banner).as("banner").isNotNull();
        return new Running(t, banner, exit);
    }

    private static String uri(String banner, String export) {
        Matcher m = Pattern.compile(export + ": (nbd[^ ;]+)").matcher(banner);
        assertThat(m.find()).as(banner).isTrue();
        return m.group(1);
    }

    @Test
    void servesSeveralNamedExportsOnAFreePortUntilStopped() throws Exception {
        Running r = serve("serve", "scratch=memory:1G", "demo", "--port", "0", "--description", "test disks");
        try {
            assertThat(r.banner()).startsWith("nbdscope serve: listening on 127.0.0.1:").contains("scratch: nbd://127.0.0.1:")
                .contains("demo: nbd://127.0.0.1:");
            String scratch = uri(r.banner(), "scratch");
            int port = Integer.parseInt(scratch.replaceAll(".*:(\\d+)/.*", "$1"));
            try (Socket s = new Socket("127.0.0.1", port)) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                assertThat(in.readLong()).isEqualTo(NbdMagic.NBDMAGIC);
                assertThat(in.readLong()).isEqualTo(NbdMagic.IHAVEOPT);
            }
            if (Peer.which("nbdinfo") != null || Peer.ci()) {
                String map = Peer.run(Duration.ofSeconds(60), "nbdinfo", "--map", scratch);
                assertThat(map.strip()).matches("0\\s+1073741824\\s+3\\s+hole,zero");
                String info = Peer.run(Duration.ofSeconds(60), "nbdinfo", uri(r.banner(), "demo"));
                assertThat(info).contains("description: test disks").contains("export-size: " + DemoDisk.SIZE);
            }
        } finally {
            r.stop();
        }
        assertThat(r.exit()[0]).isEqualTo(ExitCodes.OK);
    }

    @Test
    void unixSocketAndTheOlderServerSwitches() throws Exception {
        Path sock = dir.resolve("nbd.sock");
        Running r = serve("serve", "memory:64M", "--socket", sock.toString(), "--export-name", "old",
            "--no-extended-headers", "--no-structured-replies", "--no-init-state", "--no-fast-zero", "--read-only");
        try {
            assertThat(r.banner()).contains("listening on " + sock).contains("old: nbd+unix:///old?socket=" + sock).contains("read-only");
            if (Peer.which("nbdinfo") != null || Peer.ci()) {
                String info = Peer.run(Duration.ofSeconds(60), "nbdinfo", uri(r.banner(), "old"));
                assertThat(info).contains("without TLS").doesNotContain("structured packets").contains("is_read_only: true");
            }
        } finally {
            r.stop();
        }
    }

    @Test
    void usageErrorsNameTheProblem() {
        assertUsage("Missing required parameter: 'TARGET'", "serve");
        assertUsage("--tls-cert and --tls-key go together", "serve", "demo", "--tls-cert", "/etc/hostname");
        assertUsage("memory:huge", "serve", "memory:huge");
        assertUsage("--export-name names a single export", "serve", "--export-name", "x", "demo", "memory:1G");
        assertUsage("two exports are named 'a'", "serve", "a=demo", "a=memory:1G", "--port", "0");
        assertUsage("--port and --socket", "serve", "demo", "--port", "1", "--socket", "/tmp/x.sock");
    }

    private static void assertUsage(String message, String... args) {
        CommandLine cl = NbdscopeCommand.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(new StringWriter(), true));
        assertThat(cl.execute(args)).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains(message);
    }

    @Test
    void namedTargetsAndFilesWithEqualsSigns() {
        assertThat(ServeCommand.split("disk=memory:1G")).containsExactly("disk", "memory:1G");
        assertThat(ServeCommand.split("memory:1G")).containsExactly(null, "memory:1G");
        assertThat(ServeCommand.split("/srv/a=b.raw")).containsExactly(null, "/srv/a=b.raw");
        assertThat(ServeCommand.split("img=/srv/a.raw")).containsExactly("img", "/srv/a.raw");
    }
}
