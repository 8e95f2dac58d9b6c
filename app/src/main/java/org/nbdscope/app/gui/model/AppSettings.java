package org.nbdscope.app.gui.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What the app remembers between runs: recent targets and sessions, the theme, the window's bounds. Kept in
 * {@code app.properties} under {@code $XDG_CONFIG_HOME/nbdscope} (default {@code ~/.config/nbdscope}), or
 * the directory in the system property {@code nbdscope.config.dir}. Reads and writes are whole-file and
 * atomic; the view model calls {@link #save()} through its task runner, never on the FX thread.
 */
public final class AppSettings {
    public static final int MAX_RECENT = 10;

    /** The window's last bounds. */
    public record WindowBounds(double x, double y, double width, double height, boolean maximized) {}

    private final Path file;
    private final Properties props = new Properties();

    private AppSettings(Path file) { this.file = file; }

    /** The default settings directory (see the class comment). */
    public static Path defaultDir() {
        String dir = System.getProperty("nbdscope.config.dir");
        if (dir != null && !dir.isBlank()) return Path.of(dir);
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("nbdscope");
    }

    /** Loads the settings in {@code dir}; a missing or unreadable file gives defaults. */
    public static AppSettings load(Path dir) {
        AppSettings s = new AppSettings(dir.resolve("app.properties"));
        if (Files.isRegularFile(s.file)) {
            try (InputStream in = Files.newInputStream(s.file)) {
                s.props.load(in);
            } catch (IOException | IllegalArgumentException e) {
                s.props.clear();  // a damaged settings file must not stop the app: start from defaults
            }
        }
        return s;
    }

    /** Settings that start from defaults and are never written (smoke mode must not touch the user's). */
    public static AppSettings transientSettings() {
        return new AppSettings(null);
    }

    /** The settings file, or null for {@link #transientSettings()}. */
    public Path file() { return file; }

    public synchronized List<String> recentTargets() {
        List<String> r = new ArrayList<>();
        for (int i = 0; i < MAX_RECENT; i++) {
            String t = props.getProperty("recent." + i);
            if (t != null && !t.isBlank()) r.add(t);
        }
        return r;
    }

    public synchronized void setRecentTargets(List<String> targets) {
        for (int i = 0; i < MAX_RECENT; i++) props.remove("recent." + i);
        for (int i = 0; i < Math.min(MAX_RECENT, targets.size()); i++) props.setProperty("recent." + i, targets.get(i));
    }

    /** Session files opened or saved, most recent first. */
    public synchronized List<String> recentSessions() {
        List<String> r = new ArrayList<>();
        for (int i = 0; i < MAX_RECENT; i++) {
            String t = props.getProperty("recent.session." + i);
            if (t != null && !t.isBlank()) r.add(t);
        }
        return r;
    }

    public synchronized void setRecentSessions(List<String> files) {
        for (int i = 0; i < MAX_RECENT; i++) props.remove("recent.session." + i);
        for (int i = 0; i < Math.min(MAX_RECENT, files.size()); i++) props.setProperty("recent.session." + i, files.get(i));
    }

    /** Where autosave keeps a session that has no file of its own yet; null for transient settings. */
    public Path autosaveFile() {
        return file == null ? null : file.resolveSibling("autosave.nbdscope");
    }

    public synchronized Theme theme() { return Theme.byId(props.getProperty("theme")); }

    public synchronized void setTheme(Theme t) { props.setProperty("theme", t.id()); }

    public synchronized Optional<WindowBounds> windowBounds() {
        try {
            double x = Double.parseDouble(props.getProperty("window.x"));
            double y = Double.parseDouble(props.getProperty("window.y"));
            double w = Double.parseDouble(props.getProperty("window.width"));
            double h = Double.parseDouble(props.getProperty("window.height"));
            if (!(w >= 200 && h >= 150)) return Optional.empty();
            return Optional.of(new WindowBounds(x, y, w, h, Boolean.parseBoolean(props.getProperty("window.maximized"))));
        } catch (NullPointerException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public synchronized void setWindowBounds(WindowBounds b) {
        props.setProperty("window.x", Double.toString(b.x()));
        props.setProperty("window.y", Double.toString(b.y()));
        props.setProperty("window.width", Double.toString(b.width()));
        props.setProperty("window.height", Double.toString(b.height()));
        props.setProperty("window.maximized", Boolean.toString(b.maximized()));
    }

    /** Writes the file atomically (temporary file, then rename); does nothing for transient settings. */
    public void save() {
        if (file == null) return;
        Properties copy;
        synchronized (this) {
            copy = (Properties) props.clone();
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "app.properties.", ".tmp");
            try {
                try (OutputStream out = Files.newOutputStream(tmp)) {
                    copy.store(out, "nbdscope desktop app settings");
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save settings to " + file + ": " + e.getMessage(), e);
        }
    }
}
