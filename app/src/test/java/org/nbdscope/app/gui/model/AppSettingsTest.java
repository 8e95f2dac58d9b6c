package org.nbdscope.app.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppSettingsTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsRecentTargetsThemeAndWindow() {
        AppSettings s = AppSettings.load(dir.resolve("nbdscope"));
        assertThat(s.recentTargets()).isEmpty();
        assertThat(s.theme()).isEqualTo(Theme.LIGHT);
        assertThat(s.windowBounds()).isEmpty();
        s.setRecentTargets(List.of("nbd://localhost/a", "/tmp/disk.qcow2", "demo"));
        s.setTheme(Theme.HIGH_CONTRAST);
        s.setWindowBounds(new AppSettings.WindowBounds(10, 20, 1000, 700, true));
        s.save();
        AppSettings back = AppSettings.load(dir.resolve("nbdscope"));
        assertThat(back.recentTargets()).containsExactly("nbd://localhost/a", "/tmp/disk.qcow2", "demo");
        assertThat(back.theme()).isEqualTo(Theme.HIGH_CONTRAST);
        assertThat(back.windowBounds()).contains(new AppSettings.WindowBounds(10, 20, 1000, 700, true));
    }

    @Test
    void recentSessionsAreKeptApartFromRecentTargetsAndTheAutosaveSitsBesideTheSettings() {
        AppSettings s = AppSettings.load(dir);
        s.setRecentTargets(List.of("demo"));
        s.setRecentSessions(List.of("/home/me/a.nbdscope", "/home/me/b.nbdscope"));
        s.save();
        AppSettings back = AppSettings.load(dir);
        assertThat(back.recentSessions()).containsExactly("/home/me/a.nbdscope", "/home/me/b.nbdscope");
        assertThat(back.recentTargets()).containsExactly("demo");
        assertThat(back.autosaveFile()).isEqualTo(dir.resolve("autosave.nbdscope"));
        assertThat(AppSettings.transientSettings().autosaveFile()).isNull();
    }

    @Test
    void keepsAtMostTenRecentTargets() {
        AppSettings s = AppSettings.load(dir);
        s.setRecentTargets(java.util.stream.IntStream.range(0, 15).mapToObj(i -> "t" + i).toList());
        assertThat(s.recentTargets()).hasSize(AppSettings.MAX_RECENT).startsWith("t0").endsWith("t9");
    }

    @Test
    void aDamagedFileGivesDefaults() throws Exception {
        Files.writeString(dir.resolve("app.properties"), "theme=\\u12\nwindow.width=abc\n");
        AppSettings s = AppSettings.load(dir);
        assertThat(s.theme()).isEqualTo(Theme.LIGHT);
        assertThat(s.windowBounds()).isEmpty();
    }

    @Test
    void transientSettingsAreNeverWritten() {
        AppSettings s = AppSettings.transientSettings();
        s.setTheme(Theme.DARK);
        s.save();
        assertThat(s.file()).isNull();
    }
}
