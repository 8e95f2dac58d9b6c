package org.nbdscope.engine.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real peer program (nbdkit, qemu-nbd, nbd-server, ...) started by a test on a free loopback port or a
 * Unix socket, and stopped by its PID. Under {@code CI=true} a missing program fails the test; elsewhere
 * the test is skipped.
 */
public final class Peer implements AutoCloseable {
    private final Process process;
    private final Path log;
    public final int port;
    public final Path socket;

    private Peer(Process process, Path log, int port, Path socket) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.socket = socket;
    }

    /** True when running in CI, where a missing peer is a failure. */
    public static boolean ci() { return "true".equalsIgnoreCase(System.getenv("CI")); }

    /** Skips (or fails, in CI) unless {@code program} is on the PATH. */
    public static void require(String program) {
        boolean found = which(program) != null;
        if (!found && ci()) throw new AssertionError("peer program '" + program + "' is missing; .ci/install-peers installs it");
        assumeTrue(found, "peer program '" + program + "' is not installed; skipping (run .ci/install-peers)");
    }

    public static Path which(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return p;
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin")) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    /**
     * Starts {@code command} (the port placeholder {@code {port}} and socket placeholder {@code {socket}}
     * are filled in) and waits until it accepts connections on the TCP port or the socket appears.
     */
    public static Peer start(Path workDir, boolean unixSocket, String... command) throws IOException, InterruptedException {
        require(command[0]);
        int port = unixSocket ? -1 : freePort();
        Path sock = unixSocket ? workDir.resolve("peer-" + System.nanoTime() + ".sock") : null;
        List<String> cmd = new ArrayList<>();
        for (String c : command) {
            cmd.add(c.replace("{port}", String.valueOf(port)).replace("{socket}", sock == null ? "" : sock.toString()));
        }
        Path log = Files.createTempFile(workDir, command[0] + "-", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Peer peer = new Peer(p, log, port, sock);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive() && (sock == null || !Files.exists(sock))) {
                throw new IllegalStateException(String.join(" ", cmd) + " exited with " + p.exitValue() + ": " + peer.log());
            }
            if (sock != null ? Files.exists(sock) : accepts(port)) return peer;
            Thread.sleep(20);
        }
        peer.close();
        throw new IllegalStateException(String.join(" ", cmd) + " did not start listening in 20 s: " + peer.log());
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public long pid() { return process.pid(); }

    /** {@code nbd://127.0.0.1:PORT/EXPORT} or {@code nbd+unix:///EXPORT?socket=PATH}. */
    public String uri(String export) {
        return socket != null ? "nbd+unix:///" + export + "?socket=" + socket : "nbd://127.0.0.1:" + port + "/" + export;
    }

    public String uri() { return uri(""); }

    /** What the peer printed so far. */
    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        ProcessHandle.of(process.pid()).ifPresent(h -> {
            h.descendants().forEach(ProcessHandle::destroy);
            h.destroy();
        });
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a short command (nbdinfo, qemu-img, ...) and returns its standard output; fails on a non-zero exit. */
    public static String run(Duration timeout, String... command) throws IOException, InterruptedException {
        Result r = runResult(timeout, command);
        if (r.exit() != 0) throw new IllegalStateException(String.join(" ", command) + " exited " + r.exit() + ": " + r.stderr());
        return r.stdout();
    }

    public record Result(int exit, String stdout, String stderr) {}

    public static Result runResult(Duration timeout, String... command) throws IOException, InterruptedException {
        require(command[0]);
        Path out = Files.createTempFile("peer-out", ".txt");
        Path err = Files.createTempFile("peer-err", ".txt");
        try {
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish in " + timeout);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
