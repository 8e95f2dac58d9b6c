package org.nbdscope.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two processes adding to one session file at once both keep what they added. */
class SessionLockTest {
    @TempDir
    Path dir;

    /** Read (or start), add {@code target}, write: what {@code --save} does. */
    static void addTarget(Path file, String target) throws IOException {
        Session s = Files.exists(file) ? SessionFiles.read(file) : Session.create("0.1.0");
        s = s.withTarget(SessionTarget.of(s.newTargetId(), TargetRef.of(target, null), null));
        SessionFiles.write(file, s);
    }

    @Test
    void anUpdateWaitsForAnotherProcessHoldingTheLock() throws Exception {
        Path file = dir.resolve("shared.nbdscope");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process other = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
            HoldSessionLock.class.getName(), file.toString(), "700").redirectErrorStream(true).start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).isEqualTo("locked");
            // the other process has read nothing yet and will write its session in 0.7 s; without the lock
            // this update would be overwritten by it
            SessionLock.holding(file, () -> {
                addTarget(file, "nbd://b/");
                return null;
            });
        }
        assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(other.exitValue()).isZero();
        assertThat(SessionFiles.read(file).targets()).extracting(t -> t.target().target()).containsExactly("nbd://a/", "nbd://b/");
        assertThat(SessionLock.lockFileOf(file)).exists().hasFileName(".shared.nbdscope.lock");
    }

    @Test
    void threadsOfOneProcessTakeTurnsToo() throws Exception {
        Path file = dir.resolve("threads.nbdscope");
        Thread[] ts = new Thread[8];
        for (int i = 0; i < ts.length; i++) {
            String target = "nbd://host" + i + "/";
            ts[i] = Thread.ofPlatform().start(() -> {
                try {
                    SessionLock.holding(file, () -> {
                        addTarget(file, target);
                        return null;
                    });
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
        }
        for (Thread t : ts) t.join();
        assertThat(SessionFiles.read(file).targets()).hasSize(ts.length);
    }

    @Test
    void aReadOnlyFolderRunsTheBodyUnlockedSoTheSaveCanSayWhy() throws Exception {
        if (SessionSaveTest.isRoot()) {
            // root writes through permission bits: make the file system itself read-only
            try (SessionSaveTest.Mount m = SessionSaveTest.Mount.tmpfs(dir.resolve("ro"), "size=1m")) {
                m.remount("ro");
                runsUnlocked(m.dir.resolve("s.nbdscope"));
            }
        } else {
            Path ro = Files.createDirectories(dir.resolve("ro"));
            ro.toFile().setWritable(false);
            try {
                runsUnlocked(ro.resolve("s.nbdscope"));
            } finally {
                ro.toFile().setWritable(true);
            }
        }
    }

    private static void runsUnlocked(Path file) throws IOException {
        assertThat(SessionLock.holding(file, () -> "ran")).isEqualTo("ran");
        assertThat(SessionLock.lockFileOf(file)).doesNotExist();
    }
}
