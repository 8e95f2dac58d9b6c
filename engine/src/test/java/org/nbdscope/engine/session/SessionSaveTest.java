package org.nbdscope.engine.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.source.WireStats;
import org.nbdscope.engine.testing.Peer;

/** Atomic saves with a backup; a save that fails (disk full, read-only) leaves the old file as it was. */
class SessionSaveTest {
    @TempDir
    Path dir;

    static Session small(String notes) {
        Session s = Session.create("0.1.0");
        return s.withTarget(SessionTarget.of("t1", TargetRef.of("demo", null), null).withNotes(notes));
    }

    /** A session whose file is well over 64 KiB: many random extents do not deflate much. */
    static Session big() {
        ExtentMap m = Sessions.map(1L << 36, 99);
        return small("big").withTarget(SessionTarget.of("t1", TargetRef.of("demo", null), null)
            .withScan(SavedScan.of(new ScanResult(ScanResult.Outcome.COMPLETE, m, WireStats.ZERO, 1, null), BlockStatusFlags.BASE_ALLOCATION,
                Sessions.T0)));
    }

    @Test
    void saveKeepsThePreviousVersionAsBackup() throws Exception {
        Path f = dir.resolve("disk.nbdscope");
        Session first = SessionFiles.write(f, small("first"));
        assertThat(first.modified()).isAfterOrEqualTo(first.created());
        assertThat(SessionFiles.backupOf(f)).doesNotExist();
        byte[] v1 = Files.readAllBytes(f);
        SessionFiles.write(f, first.withTarget(first.targets().getFirst().withNotes("second")));
        assertThat(Files.readAllBytes(SessionFiles.backupOf(f))).isEqualTo(v1);
        assertThat(SessionFiles.read(f).targets().getFirst().notes()).isEqualTo("second");
        assertThat(SessionFiles.backupOf(f).getFileName().toString()).isEqualTo("disk.nbdscope.bak");
        assertThat(SessionFiles.read(f).created()).isEqualTo(first.created());
        try (Stream<Path> l = Files.list(dir)) {
            assertThat(l.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("disk.nbdscope", "disk.nbdscope.bak");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-r--r--");
    }

    @Test
    void aFolderInThePlaceOfTheFileIsRefused() throws Exception {
        Path f = Files.createDirectory(dir.resolve("x.nbdscope"));
        assertThatThrownBy(() -> SessionFiles.write(f, small("n"))).isInstanceOf(IOException.class).hasMessageContaining("it is a folder");
    }

    @Test
    void aReadOnlyFolderLeavesTheOldFile() throws Exception {
        if (isRoot()) {
            // root writes through permission bits: make the file system itself read-only
            try (Mount m = Mount.tmpfs(dir.resolve("ro"), "size=1m")) {
                Path f = m.dir.resolve("s.nbdscope");
                SessionFiles.write(f, small("one"));
                SessionFiles.write(f, small("two"));
                byte[] before = Files.readAllBytes(f), bak = Files.readAllBytes(SessionFiles.backupOf(f));
                m.remount("ro");
                assertThatThrownBy(() -> SessionFiles.write(f, small("three"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("cannot save " + f).hasMessageContaining("read-only").hasMessageContaining("the previous file is unchanged");
                assertThat(Files.readAllBytes(f)).isEqualTo(before);
                assertThat(Files.readAllBytes(SessionFiles.backupOf(f))).isEqualTo(bak);
            }
        } else {
            Path ro = Files.createDirectory(dir.resolve("ro"));
            Path f = ro.resolve("s.nbdscope");
            SessionFiles.write(f, small("one"));
            byte[] before = Files.readAllBytes(f);
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
            try {
                assertThatThrownBy(() -> SessionFiles.write(f, small("two"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("permission denied").hasMessageContaining("the previous file is unchanged");
                assertThat(Files.readAllBytes(f)).isEqualTo(before);
            } finally {
                Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    @Test
    void aFullDiskLeavesTheOldFileAndItsBackup() throws Exception {
        assumeTrue(isRoot() || Peer.ci(), "mounting a tiny tmpfs needs root");
        try (Mount m = Mount.tmpfs(dir.resolve("tiny"), "size=64k")) {
            Path f = m.dir.resolve("s.nbdscope");
            SessionFiles.write(f, small("one"));
            SessionFiles.write(f, small("two"));
            byte[] before = Files.readAllBytes(f), bak = Files.readAllBytes(SessionFiles.backupOf(f));
            Session big = big();
            assertThat(SessionFiles.toBytes(big).length).isGreaterThan(128 << 10);
            assertThatThrownBy(() -> SessionFiles.write(f, big)).isInstanceOf(IOException.class)
                .hasMessageContaining("no space left on the device").hasMessageContaining("the previous file is unchanged");
            assertThat(Files.readAllBytes(f)).isEqualTo(before);
            assertThat(Files.readAllBytes(SessionFiles.backupOf(f))).isEqualTo(bak);
            assertThat(SessionFiles.read(f).targets().getFirst().notes()).isEqualTo("two");
            try (Stream<Path> l = Files.list(m.dir)) {
                assertThat(l.map(p -> p.getFileName().toString())).as("no temporary file left").containsExactlyInAnyOrder("s.nbdscope", "s.nbdscope.bak");
            }
        }
    }

    @Test
    void aStreamedExportIsTheSameTextAndAFailedOneLeavesNothing() throws Exception {
        ExtentMap m = new ExtentMap(1L << 40);
        for (long off = 0; off < 200_000L * 8192; off += 8192) m.append(off, 8192, (int) (off / 8192 % 4));
        m.fillUnknown();
        StringBuilder inMemory = new StringBuilder();
        org.nbdscope.engine.report.ExtentExports.csv(m, BlockStatusFlags.BASE_ALLOCATION, inMemory);
        Path f = dir.resolve("extents.csv");
        SessionFiles.writeAtomically(f, out -> org.nbdscope.engine.report.ExtentExports.writeUtf8(out,
            w -> org.nbdscope.engine.report.ExtentExports.csv(m, BlockStatusFlags.BASE_ALLOCATION, w)), false);
        assertThat(Files.readString(f, StandardCharsets.UTF_8)).isEqualTo(inMemory.toString());

        // a writer that fails halfway (as a full disk does): the old file stays, no temporary file is left
        byte[] before = Files.readAllBytes(f);
        assertThatThrownBy(() -> SessionFiles.writeAtomically(f, out -> {
            out.write(new byte[1 << 20]);
            throw new IOException("No space left on device");
        }, false)).isInstanceOf(IOException.class).hasMessageContaining("the previous file is unchanged");
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        try (Stream<Path> l = Files.list(dir)) {
            assertThat(l.map(p -> p.getFileName().toString())).containsExactly("extents.csv");
        }
    }

    @Test
    void theFileNeverHoldsSecrets() throws Exception {
        String uri = "nbds://alice:hunter2@localhost:10809/disk?tls-psk-file=/etc/nbd/psk.key&tls-certificates=/etc/pki/nbd&x-secret-token=abc123";
        Session s = Session.create("0.1.0");
        var details = new org.nbdscope.engine.source.SourceDetails().add("Export", "URI", uri).add("Negotiated", "TLS", "yes");
        SessionTarget t = SessionTarget.of("t1", TargetRef.of(uri, null), TargetInfo.of(uri, 1 << 20, false, details))
            .withNotes("connected with " + uri);
        ExtentMap m = new ExtentMap(1 << 20);
        m.append(0, 1 << 20, 0);
        t = t.withScan(new SavedScan(Sessions.T0, ScanResult.Outcome.FAILED, "lost " + uri, BlockStatusFlags.BASE_ALLOCATION,
            null, ExtentData.of(m), Map.of()));
        s = s.withTarget(t).withView(new SessionView(null, "t1", Map.of("lastUri", SessionJson.MAPPER.getNodeFactory().stringNode(uri))));
        Path f = dir.resolve("s.nbdscope");
        SessionFiles.write(f, s);
        String text = Files.readString(f, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("hunter2").doesNotContain("psk").doesNotContain("abc123").doesNotContain("token");
        assertThat(text).contains("nbds://alice@localhost:10809/disk?tls-certificates=/etc/pki/nbd");
        Session back = SessionFiles.read(f);
        assertThat(back.targets().getFirst().target().target()).isEqualTo("nbds://alice@localhost:10809/disk?tls-certificates=/etc/pki/nbd");
        assertThat(back.targets().getFirst().facts().tls()).isTrue();
    }

    static boolean isRoot() {
        try {
            return "0".equals(new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).strip());
        } catch (IOException e) {
            return false;
        }
    }

    /** A tmpfs mounted for one test (root only), unmounted on close. */
    static final class Mount implements AutoCloseable {
        final Path dir;

        private Mount(Path dir) { this.dir = dir; }

        static Mount tmpfs(Path dir, String options) throws Exception {
            Files.createDirectories(dir);
            Peer.Result r = Peer.runResult(Duration.ofSeconds(20), "mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString());
            if (r.exit() != 0) {
                if (Peer.ci()) throw new AssertionError("cannot mount a tmpfs in CI: " + r);
                assumeTrue(false, "cannot mount a tmpfs here: " + r);
            }
            return new Mount(dir);
        }

        void remount(String options) throws Exception {
            Peer.Result r = Peer.runResult(Duration.ofSeconds(20), "mount", "-o", "remount," + options, dir.toString());
            if (r.exit() != 0) throw new AssertionError("remount " + options + " failed: " + r);
        }

        @Override
        public void close() throws Exception {
            Peer.runResult(Duration.ofSeconds(20), "umount", dir.toString());
        }
    }
}
