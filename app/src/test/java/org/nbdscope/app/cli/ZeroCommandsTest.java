package org.nbdscope.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.testing.Peer;
import org.nbdscope.engine.zero.Comparison;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code probe}, {@code make-zero} and {@code compare} from the command line, against real nbdkit and qemu. */
class ZeroCommandsTest {
    static final long GIB = 1L << 30;
    static final Duration T = Duration.ofSeconds(60);
    static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = NbdscopeCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    Path sparse(String name, long size, long... dataAt) throws Exception {
        Path f = dir.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
            raf.setLength(size);
            for (long off : dataAt) {
                raf.seek(off);
                raf.write(new byte[] {1, 2, 3, 4});
            }
        }
        return f;
    }

    static long writeRequests(Path log) throws Exception {
        return Pattern.compile("connection=\\d+ (Write|Zero|Trim) id=").matcher(Files.readString(log)).results().count();
    }

    @Test
    void probeAnswersWithExitCodesAndJson() throws Exception {
        Path f = sparse("d.raw", 16 * GIB, 3 * GIB);
        try (Peer p = Peer.start(dir, true, "nbdkit", "-f", "-U", "{socket}", "memory", "16G");
             Peer q = Peer.start(dir, true, "nbdkit", "-f", "-U", "{socket}", "file", f.toString())) {
            Run zero = run("probe", p.uri());
            assertThat(zero.exit()).as(zero.err()).isEqualTo(ExitCodes.OK);
            assertThat(zero.out()).contains("reads as:     zero (BLOCK_STATUS_32)").contains("not sent");

            Run data = run("probe", "--json", q.uri());
            assertThat(data.exit()).isEqualTo(ExitCodes.NOT_ZERO);
            JsonNode j = JSON.readTree(data.out());
            assertThat(j.get("probe").get("answer").asString()).isEqualTo("NO");
            assertThat(j.get("probe").get("firstNonZero").asLong()).isEqualTo(3 * GIB);
            assertThat(j.get("target").get("headerMode").asString()).isEqualTo("structured");
        }
        // a raw file directly
        Run file = run("probe", f.toString());
        assertThat(file.exit()).isEqualTo(ExitCodes.NOT_ZERO);
        assertThat(file.out()).contains("FILE_SEEK");
    }

    @Test
    void probeWithoutBlockStatusIsUnknownUntilReadIsAllowed() throws Exception {
        Path f = sparse("n.raw", 64L << 20);
        // nbd-server 3.24 offers no block status at all; with -d it serves one client and exits, so it listens
        // on a Unix socket (a TCP readiness check would use up its one session)
        try (Peer p = nbdServer(f)) {
            Run r = run("probe", p.uri("export"));
            assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.UNKNOWN);
            assertThat(r.out()).contains("--read").contains("not sent");
        }
        try (Peer p = nbdServer(f)) {
            Run read = run("probe", "--read", p.uri("export"));
            assertThat(read.exit()).as(read.out() + read.err()).isEqualTo(ExitCodes.OK);
            assertThat(read.err()).contains("costly");
            assertThat(read.out()).contains("zero (READ)");
        }
    }

    private Peer nbdServer(Path file) throws Exception {
        Peer.require("nbd-server");
        Path conf = dir.resolve("nbd-server-" + System.nanoTime() + ".conf");
        return Peer.start(dir, true, "sh", "-c", "printf '[generic]\\nunixsock = {socket}\\n[export]\\nexportname = " + file
            + "\\n' > '" + conf + "' && exec nbd-server -C '" + conf + "' -d");
    }

    @Test
    void makeZeroRefusesWithoutYesPlansWithoutWritingAndZeroesWithYes() throws Exception {
        Path f = sparse("w.raw", 64 * GIB, 0, 5 * GIB, 63 * GIB);
        Path log = dir.resolve("w.log");
        try (Peer p = Peer.start(dir, true, "nbdkit", "-f", "-U", "{socket}", "--filter=log", "file", f.toString(), "logfile=" + log)) {
            Run no = run("make-zero", p.uri());
            assertThat(no.exit()).isEqualTo(ExitCodes.REFUSED);
            assertThat(no.err()).contains("--yes");

            Run plan = run("make-zero", "--plan", p.uri());
            assertThat(plan.exit()).as(plan.err()).isEqualTo(ExitCodes.OK);
            assertThat(plan.out()).contains("plan:").contains("zero-extents").contains("WRITE_ZEROES");
            Run planJson = run("make-zero", "--plan", "--json", p.uri());
            JsonNode j = JSON.readTree(planJson.out());
            assertThat(j.get("plan").get("strategy").asString()).isEqualTo("ZERO_EXTENTS");
            assertThat(j.get("plan").get("zeroing").get("requestsByCommand").get("WRITE_ZEROES").asLong()).isEqualTo(3);

            Run cmp = run("compare", p.uri());
            assertThat(cmp.exit()).isEqualTo(ExitCodes.NOT_ZERO);
            assertThat(cmp.out()).contains("make-zero (planned)").contains("winner: make-zero");
            assertThat(writeRequests(log)).as("refusal, plan and unconfirmed compare never write").isZero();

            Run yes = run("make-zero", "--yes", p.uri());
            assertThat(yes.exit()).as(yes.out() + yes.err()).isEqualTo(ExitCodes.OK);
            assertThat(yes.out()).contains("make-zero:    zeroed");
            assertThat(writeRequests(log)).isEqualTo(3);
            ZeroMapCheck.assertAllZero(p.uri());
        }
        Path blank = sparse("blank.raw", 64 * GIB);
        Peer.run(T, "qemu-img", "compare", "-f", "raw", "-F", "raw", f.toString(), blank.toString());
    }

    @Test
    void compareWithYesRunsMakeZeroAndPrintsTheRecord() throws Exception {
        Path f = sparse("c.raw", 1L << 40, 7 * GIB);
        try (Peer p = Peer.start(dir, true, "qemu-nbd", "-f", "raw", "-t", "-e", "2", "--discard=unmap", "-k", "{socket}", f.toString())) {
            Run r = run("compare", "--yes", "--json", p.uri());
            assertThat(r.exit()).as(r.err()).isEqualTo(ExitCodes.OK);
            Comparison c = JSON.readValue(r.out(), Comparison.class);
            assertThat(c.makeZero().executed()).isTrue();
            assertThat(c.makeZero().requestsByCommand()).containsEntry("WRITE_ZEROES", 1L);
            assertThat(c.headerMode()).isEqualTo("extended");
            assertThat(c.winner()).isEqualTo("make-zero");
            ZeroMapCheck.assertAllZero(p.uri());
        }
    }

    @Test
    void rawFilesAndReadOnlyTargets() throws Exception {
        Path f = sparse("r.raw", 8 * GIB, GIB);
        Run plan = run("make-zero", "--plan", f.toString());
        assertThat(plan.out()).contains("fallocate");
        Run r = run("make-zero", "--yes", f.toString());
        assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(ExitCodes.OK);
        assertThat(run("probe", f.toString()).exit()).isEqualTo(ExitCodes.OK);

        Path g = sparse("ro.raw", 8 * GIB, GIB);
        try (Peer p = Peer.start(dir, true, "nbdkit", "-f", "-r", "-U", "{socket}", "file", g.toString())) {
            Run ro = run("make-zero", "--yes", p.uri());
            assertThat(ro.exit()).isEqualTo(ExitCodes.REFUSED);
            assertThat(ro.err()).contains("read-only");
            assertThat(run("make-zero", "--plan", p.uri()).exit()).isEqualTo(ExitCodes.REFUSED);
        }
        assertThat(run("probe", g.toString()).exit()).as("still there").isEqualTo(ExitCodes.NOT_ZERO);
    }

    @Test
    void usageErrors() {
        assertThat(run("probe", "nbd://host:notaport/x").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("make-zero", "--strategy", "quick", "nbd://127.0.0.1/x").exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("compare").exit()).isEqualTo(ExitCodes.USAGE);
    }
}
