package org.nbdscope.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.extent.ExtentDiff;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.session.Session;
import org.nbdscope.engine.session.SessionFiles;
import org.nbdscope.engine.session.SessionTarget;
import org.nbdscope.engine.testing.Peer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code --save}, {@code report} and {@code export} end to end: the demo disk, and an nbdkit memory export that changes between scans. */
class SessionCommandsTest {
    static final Duration T = Duration.ofSeconds(60);
    static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @TempDir
    Path dir;

    static Cli ok(int exit, String... args) {
        Cli r = Cli.run(args);
        assertThat(r.exit()).as(r.toString()).isEqualTo(exit);
        return r;
    }

    @Test
    void demoMapProbeCompareSavedThenReportedAndExported() throws Exception {
        Path f = dir.resolve("demo.nbdscope");
        Cli map = ok(ExitCodes.OK, "map", "demo", "--totals", "--save", f.toString());
        assertThat(map.out()).contains("hole,zero");
        assertThat(map.err()).contains("saved to " + f + " (new target t1)");
        ok(ExitCodes.OK, "map", "demo", "--totals", "--save", f.toString());
        assertThat(SessionFiles.backupOf(f)).exists();
        ok(ExitCodes.NOT_ZERO, "probe", "demo", "--save", f.toString());
        ok(ExitCodes.NOT_ZERO, "compare", "demo", "--save", f.toString());
        ok(ExitCodes.REFUSED, "make-zero", "demo", "--plan", "--save", f.toString());

        Session s = SessionFiles.read(f);
        assertThat(s.targets()).hasSize(1);
        SessionTarget t = s.targets().getFirst();
        assertThat(t.target().target()).isEqualTo("demo");
        assertThat(t.facts().size()).isEqualTo(1L << 40);
        assertThat(t.facts().headerMode()).isEqualTo("extended");
        assertThat(t.facts().readOnly()).isTrue();
        assertThat(t.scans()).hasSize(2);
        assertThat(t.latestScan().map().count()).isGreaterThan(1000);
        assertThat(t.latestScan().cost().requests()).isPositive();
        assertThat(ExtentDiff.of(t.previousScan().map(), t.latestScan().map()).isEmpty()).isTrue();
        assertThat(t.probes()).hasSize(1);
        assertThat(t.comparisons()).hasSize(1);
        assertThat(t.makeZeros()).hasSize(1);
        assertThat(t.makeZeros().getFirst().planOnly()).isTrue();

        Cli text = ok(ExitCodes.OK, "report", f.toString());
        assertThat(text.out()).contains("target t1: demo (1 TiB, extended headers, no TLS, read-only)")
            .contains("scan 2").contains("changes from scan 1 to scan 2: none").contains("probe ").contains("compare ").contains("make-zero plan");

        // the display-free launcher's entry point runs it too
        Path viaCli = dir.resolve("cli.html");
        assertThat(org.nbdscope.app.CliMain.run("report", f.toString(), "--html", viaCli.toString())).isEqualTo(ExitCodes.OK);
        assertThat(Files.readString(viaCli)).contains("<h2>demo</h2>");

        Path html = dir.resolve("out/report.html");
        Files.createDirectories(html.getParent());
        ok(ExitCodes.OK, "report", f.toString(), "--html", html.toString());
        String page = Files.readString(html);
        assertThat(page).contains("<h2>demo</h2>").contains("Winner:").contains("Zero probe");
        Matcher m = Pattern.compile("data:image/png;base64,([A-Za-z0-9+/=]+)").matcher(page);
        assertThat(m.find()).isTrue();
        assertThat(Base64.getDecoder().decode(m.group(1))).startsWith(PNG_SIGNATURE);

        Path csv = dir.resolve("e.csv");
        ok(ExitCodes.OK, "export", f.toString(), "--csv", csv.toString());
        var lines = Files.readAllLines(csv);
        assertThat(lines.getFirst()).isEqualTo("offset,length,type,description");
        assertThat(lines).hasSize(t.latestScan().map().count() + 1);
        assertThat(lines.get(1)).startsWith("0,");

        Cli json = ok(ExitCodes.OK, "export", f.toString(), "--json", "-");
        JsonNode j = JsonMapper.builder().build().readTree(json.out());
        assertThat(j.size()).isEqualTo(t.latestScan().map().count());
        assertThat(j.get(0).get("offset").asLong()).isZero();

        Path png = dir.resolve("m.png");
        ok(ExitCodes.OK, "export", f.toString(), "--png", png.toString(), "--width", "300", "--height", "120", "--scan", "1");
        assertThat(Files.readAllBytes(png)).startsWith(PNG_SIGNATURE);
        ok(ExitCodes.USAGE, "export", f.toString(), "--png", png.toString(), "--scan", "9");
        ok(ExitCodes.USAGE, "export", f.toString(), "--csv", csv.toString(), "--json", "-");
    }

    @Test
    void nbdkitMemoryScansOverTimeShowWhatChanged() throws Exception {
        Peer.require("nbdkit");
        Peer.require("qemu-io");
        Path f = dir.resolve("mem.nbdscope");
        try (Peer p = Peer.start(dir, true, "nbdkit", "-f", "-U", "{socket}", "memory", "64M")) {
            ok(ExitCodes.OK, "map", p.uri(), "--save", f.toString());
            Peer.run(T, "qemu-io", "-f", "raw", "-c", "write -P 0x55 1M 2M", "-c", "write -P 0xaa 40M 64k", p.uri());
            ok(ExitCodes.OK, "map", p.uri(), "--save", f.toString());
            ok(ExitCodes.OK, "make-zero", p.uri(), "--yes", "--save", f.toString());
            ok(ExitCodes.OK, "map", p.uri(), "--save", f.toString());
        }
        Session s = SessionFiles.read(f);
        SessionTarget t = s.targets().getFirst();
        assertThat(t.scans()).hasSize(3);
        ExtentDiff filled = ExtentDiff.of(t.scans().get(0).map(), t.scans().get(1).map());
        assertThat(filled.bytes(ExtentKind.HOLE, ExtentKind.DATA)).isEqualTo((2L << 20) + (64 << 10));
        assertThat(filled.count()).isEqualTo(2);
        ExtentDiff zeroed = ExtentDiff.of(t.scans().get(1).map(), t.scans().get(2).map());
        assertThat(zeroed.bytes(ExtentKind.DATA, ExtentKind.HOLE)).isEqualTo((2L << 20) + (64 << 10));
        assertThat(t.makeZeros().getFirst().result().outcome().name()).isIn("ZEROED", "ALREADY_ZERO");

        Cli text = ok(ExitCodes.OK, "report", f.toString());
        assertThat(text.out()).contains("changes from scan 2 to scan 3: 2.1 MiB in 2 regions").contains("data -> hole");
        Path html = dir.resolve("mem.html");
        ok(ExitCodes.OK, "report", f.toString(), "--html", html.toString());
        assertThat(Files.readString(html)).contains("Changes between the last two scans").contains("data -&gt; hole")
            .contains(String.valueOf((2L << 20) + (64 << 10)));
    }

    @Test
    void brokenSessionFilesExitSixAndAreNeverOverwritten() throws Exception {
        Path bad = dir.resolve("bad.nbdscope");
        Files.writeString(bad, "{\"format\": \"nbdscope-session\", \"schema\": 1, \"targets\": [");
        byte[] before = Files.readAllBytes(bad);
        Cli r = ok(ExitCodes.BAD_SESSION, "report", bad.toString());
        assertThat(r.err()).startsWith("nbdscope: report: " + bad + ": the file ends early").contains("line 1").doesNotContain("Exception");
        Cli m = ok(ExitCodes.BAD_SESSION, "map", "demo", "--totals", "--save", bad.toString());
        assertThat(m.err()).contains("is not a session this nbdscope can add to, so it was left alone");
        assertThat(m.out()).as("refused before scanning").isEmpty();
        assertThat(Files.readAllBytes(bad)).isEqualTo(before);

        Path newer = dir.resolve("newer.nbdscope");
        Files.writeString(newer, "{\"format\": \"nbdscope-session\", \"schema\": 5, \"nbdscopeVersion\": \"4.0.0\"}");
        assertThat(ok(ExitCodes.BAD_SESSION, "export", newer.toString(), "--csv", "-").err())
            .contains("written by nbdscope 4.0.0, schema 5; this nbdscope").contains("reads up to schema 1");
        assertThat(ok(ExitCodes.BAD_SESSION, "report", dir.resolve("none.nbdscope").toString()).err()).contains("no such session file");
        ok(ExitCodes.USAGE, "probe", "demo", "--save", dir.resolve("x.json").toString());
        assertThat(dir.resolve("x.json")).doesNotExist();
        ok(ExitCodes.USAGE, "map", "demo", "--format", "qemu-json", "--save", dir.resolve("q.nbdscope").toString());
    }

    @Test
    void imageFilesAreKeptByTheirAbsolutePath() throws Exception {
        Path img = dir.resolve("disk.raw");
        try (var raf = new java.io.RandomAccessFile(img.toFile(), "rw")) {
            raf.setLength(1 << 20);
            raf.seek(4096);
            raf.write(1);
        }
        Path f = dir.resolve("img.nbdscope");
        Path rel = Path.of("").toAbsolutePath().relativize(img);
        ok(ExitCodes.OK, "map", rel.toString(), "--save", f.toString());
        ok(ExitCodes.NOT_ZERO, "probe", img.toString(), "--save", f.toString());
        Session s = SessionFiles.read(f);
        assertThat(s.targets()).hasSize(1);
        assertThat(s.targets().getFirst().target().target()).isEqualTo(img.toAbsolutePath().normalize().toString());
        assertThat(s.targets().getFirst().probes()).hasSize(1);
        assertThat(ok(ExitCodes.OK, "export", f.toString(), "--target", rel.toString(), "--csv", "-").out()).contains(",data");
    }

    @Test
    void secretsInTheTargetNeverReachTheFile() throws Exception {
        Peer.require("nbdkit");
        Path f = dir.resolve("s.nbdscope");
        try (Peer p = Peer.start(dir, false, "nbdkit", "-f", "--exit-with-parent", "-i", "127.0.0.1", "-p", "{port}", "memory", "1M")) {
            String withSecret = p.uri().replace("nbd://", "nbd://alice:hunter2@");
            ok(ExitCodes.OK, "map", withSecret, "--save", f.toString());
        }
        String text = Files.readString(f, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("hunter2").contains("nbd://alice@127.0.0.1");
    }
}
