package org.nbdscope.engine.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.scan.ScanResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Broken, truncated, newer, older and extended files: each gets a message naming what is wrong, never a stack trace. */
class SessionLoadTest {
    @TempDir
    Path dir;

    static byte[] valid() { return SessionFiles.toBytes(Sessions.full()); }

    static SessionFormatException fails(byte[] json) {
        try {
            SessionFiles.parse(json, "s.nbdscope");
        } catch (SessionFormatException e) {
            assertThat(e.getMessage()).startsWith("s.nbdscope: ").doesNotContain("Exception").doesNotContain("tools.jackson")
                .doesNotContain("org.nbdscope");
            return e;
        }
        throw new AssertionError("loaded without complaint");
    }

    static SessionFormatException fails(String json) { return fails(json.getBytes(StandardCharsets.UTF_8)); }

    static ObjectNode tree() {
        return (ObjectNode) SessionJson.MAPPER.readTree(valid());
    }

    static byte[] bytes(JsonNode n) { return SessionJson.MAPPER.writeValueAsBytes(n); }

    @Test
    void garbageIsNotJson() {
        SessionFormatException e = fails("{\"format\": \"nbdscope-session\", \"schema\": 1, \"targets\": [ oops ]}");
        assertThat(e.kind()).isEqualTo(SessionFormatException.Kind.SYNTAX);
        assertThat(e.getMessage()).contains("not valid JSON").contains("line 1, column");
        assertThat(e.line()).isEqualTo(1);
        assertThat(fails(new byte[] {(byte) 0x89, 'P', 'N', 'G'}).kind()).isEqualTo(SessionFormatException.Kind.SYNTAX);
        assertThat(fails("").getMessage()).isEqualTo("s.nbdscope: the file is empty");
        assertThat(fails("[1, 2]").getMessage()).contains("not a session file");
        assertThat(fails("{\"hello\": 1}").getMessage()).contains("not an nbdscope session (no 'schema' field)");
        assertThat(fails("{\"format\": \"qcow2\", \"schema\": 1}").getMessage()).contains("format is 'qcow2'");
        assertThat(fails("{\"format\": \"nbdscope-session\", \"schema\": \"one\"}").getMessage()).contains("schema must be a whole number");
    }

    @Test
    void truncatedFilesAreNamedAsSuch() {
        byte[] full = valid();
        for (int cut : new int[] {1, 10, full.length / 3, full.length / 2, full.length - 3}) {
            byte[] part = java.util.Arrays.copyOf(full, cut);
            SessionFormatException e = fails(part);
            assertThat(e.getMessage()).as("cut at %d", cut).containsAnyOf("ends early", "not valid JSON");
            assertThat(e.line()).as("cut at %d", cut).isPositive();
        }
    }

    @Test
    void newerSchemaGetsAClearMessage() {
        ObjectNode t = tree();
        t.put("schema", 7);
        t.put("nbdscopeVersion", "3.1.0");
        SessionFormatException e = fails(bytes(t));
        assertThat(e.kind()).isEqualTo(SessionFormatException.Kind.NEWER_VERSION);
        assertThat(e.getMessage()).contains("written by nbdscope 3.1.0, schema 7; this nbdscope").contains("reads up to schema 1");
    }

    @Test
    void wrongFieldsAreNamedByTheirPath() {
        ObjectNode t = tree();
        ((ObjectNode) t.get("targets").get(0).get("scans").get(1)).put("outcome", "EXPLODED");
        SessionFormatException e = fails(bytes(t));
        assertThat(e.kind()).isEqualTo(SessionFormatException.Kind.INVALID);
        assertThat(e.field()).isEqualTo("targets[0].scans[1].outcome");
        assertThat(e.getMessage()).contains("targets[0].scans[1].outcome").contains("EXPLODED").contains("line ");

        t = tree();
        ((ObjectNode) t.get("targets").get(0).get("scans").get(0).get("extents")).put("crc32", 12345);
        e = fails(bytes(t));
        assertThat(e.field()).isEqualTo("targets[0].scans[0].extents");
        assertThat(e.getMessage()).contains("crc32: the extents' checksum is").contains("damaged or edited");

        t = tree();
        ((ObjectNode) t.get("targets").get(0)).put("facts", "big");
        assertThat(fails(bytes(t)).field()).isEqualTo("targets[0].facts");

        t = tree();
        ((ObjectNode) t.get("targets").get(0).get("probes").get(0).get("result")).remove("answer");
        e = fails(bytes(t));
        assertThat(e.getMessage()).isEqualTo("s.nbdscope: targets[0].probes[0].result.answer: missing");

        t = tree();
        ((ObjectNode) t.get("targets").get(1)).put("id", "t1");
        assertThat(fails(bytes(t)).getMessage()).contains("targets[1].id: 't1' is used by an earlier target too");

        t = tree();
        ((ObjectNode) t.get("targets").get(0)).remove("target");
        assertThat(fails(bytes(t)).getMessage()).contains("targets[0]").contains("target: missing");

        t = tree();
        ((ObjectNode) t.get("targets").get(0).get("facts")).put("size", 4096);
        assertThat(fails(bytes(t)).getMessage()).contains("targets[0].scans[1].extents.size: 1073741824 does not match the target's size 4096");
    }

    @Test
    void unknownFieldsAreKeptOrIgnored() throws Exception {
        ObjectNode t = tree();
        ObjectNode target = (ObjectNode) t.get("targets").get(0);
        target.put("colour", "teal");
        ((ObjectNode) target.get("scans").get(0)).putObject("histogram").put("bins", 3);
        ((ObjectNode) target.get("view")).put("rowHeight", 12);
        ((ObjectNode) t.get("view")).put("sidebar", true);
        ((ObjectNode) target.get("probes").get(0).get("result")).put("confidence", 0.5);   // engine records: ignored
        Session s = SessionFiles.parse(bytes(t), "s.nbdscope");
        assertThat(s.extra().get("futureField").asString()).isEqualTo("kept");
        SessionTarget st = s.targets().getFirst();
        assertThat(st.extra().get("colour").asString()).isEqualTo("teal");
        assertThat(st.scans().getFirst().extra().get("histogram").get("bins").asInt()).isEqualTo(3);
        assertThat(st.view().extra().get("rowHeight").asInt()).isEqualTo(12);
        assertThat(s.view().extra().get("sidebar").asBoolean()).isTrue();
        // written back
        JsonNode again = SessionJson.MAPPER.readTree(SessionFiles.toBytes(s));
        assertThat(again.get("targets").get(0).get("colour").asString()).isEqualTo("teal");
        assertThat(again.get("targets").get(0).get("scans").get(0).get("histogram").get("bins").asInt()).isEqualTo(3);
        assertThat(again.get("view").get("sidebar").asBoolean()).isTrue();
        assertThat(again.get("futureField").asString()).isEqualTo("kept");
    }

    @Test
    void schemaZeroIsUpgradedOnLoad() throws Exception {
        byte[] old;
        try (InputStream in = getClass().getResourceAsStream("schema0.nbdscope")) {
            old = in.readAllBytes();
        }
        Session s = SessionFiles.parse(old, "old.nbdscope");
        assertThat(s.schema()).isEqualTo(Session.SCHEMA);
        assertThat(s.nbdscopeVersion()).isEqualTo("0.0.9");
        assertThat(s.created()).isEqualTo(Instant.parse("2026-06-01T12:00:00Z"));
        assertThat(s.view().theme()).isEqualTo("dark");
        assertThat(s.targets()).hasSize(2);
        SessionTarget t = s.targets().getFirst();
        assertThat(t.id()).isEqualTo("t1");
        assertThat(t.target().target()).isEqualTo("nbd://admin@localhost:10809/disk");   // the secrets are gone on load too
        assertThat(t.notes()).isEqualTo("before the migration");
        assertThat(t.facts().size()).isEqualTo(1048576);
        SavedScan sc = t.latestScan();
        assertThat(sc.outcome()).isEqualTo(ScanResult.Outcome.COMPLETE);
        ExtentMap m = sc.map();
        assertThat(m.count()).isEqualTo(3);
        assertThat(ExtentKind.of(m.status(1))).isEqualTo(ExtentKind.HOLE);
        assertThat(m.start(2)).isEqualTo(131072);
        assertThat(s.targets().get(1).target().target()).isEqualTo("/var/lib/images/base.qcow2");
        assertThat(s.targets().get(1).scans()).isEmpty();
        // saved again it is schema 1 and contains no secret
        String again = new String(SessionFiles.toBytes(s), StandardCharsets.UTF_8);
        assertThat(again).contains("\"schema\" : 1").doesNotContain("hunter2").doesNotContain("psk");
    }

    @Test
    void brokenSchemaZeroNamesTheField() {
        String json = "{\"schemaVersion\": 0, \"saved\": \"2026-06-01T12:00:00Z\", \"targets\": [{\"uri\": \"demo\", \"size\": 100,"
            + " \"scan\": {\"covered\": 100, \"starts\": [0, 50, 40], \"statuses\": [0, 1, 0]}}]}";
        SessionFormatException e = fails(json);
        assertThat(e.getMessage()).contains("cannot upgrade from schema 0").contains("targets[0].scan.starts[1]: extent 50..40 is empty");
    }

    @Test
    void missingAndHugeFiles() throws Exception {
        assertThatThrownBy(() -> SessionFiles.read(dir.resolve("none.nbdscope"))).isInstanceOf(NoSuchFileException.class);
        Path huge = dir.resolve("huge.nbdscope");
        try (var raf = new java.io.RandomAccessFile(huge.toFile(), "rw")) {
            raf.setLength(SessionFiles.MAX_FILE_SIZE + 1);
        }
        assertThatThrownBy(() -> SessionFiles.read(huge)).isInstanceOf(SessionFormatException.class).hasMessageContaining("larger than");
        Files.delete(huge);
    }
}
