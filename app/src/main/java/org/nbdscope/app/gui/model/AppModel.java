package org.nbdscope.app.gui.model;

import java.util.ArrayList;
import java.util.List;

import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import org.nbdscope.app.gui.task.TaskRunner;

/**
 * The whole window's state: the open targets (tabs), the theme, recent targets, the window's bounds, and
 * notices for the user. Owns the settings and saves them through the task runner.
 */
public final class AppModel {
    private final TargetOpener opener;
    private final TaskRunner runner;
    private final AppSettings settings;
    private final ObservableList<TargetModel> targets = FXCollections.observableArrayList();
    private final ObservableList<TargetModel> targetsView = FXCollections.unmodifiableObservableList(targets);
    private final ObjectProperty<TargetModel> selected = new SimpleObjectProperty<>(this, "selected");
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(this, "theme");
    private final ObservableList<String> recent = FXCollections.observableArrayList();
    private final ObservableList<Notice> notices = FXCollections.observableArrayList();

    public AppModel(TargetOpener opener, TaskRunner runner, AppSettings settings) {
        this.opener = opener;
        this.runner = runner;
        this.settings = settings;
        theme.set(settings.theme());
        recent.setAll(settings.recentTargets());
        theme.addListener((o, a, b) -> {
            settings.setTheme(b);
            saveLater();
        });
    }

    public TaskRunner runner() { return runner; }

    public ObservableList<TargetModel> targets() { return targetsView; }

    /** The target whose tab is shown. */
    public ObjectProperty<TargetModel> selectedProperty() { return selected; }

    public ObjectProperty<Theme> themeProperty() { return theme; }

    /** Most recent first. */
    public ObservableList<String> recentTargets() { return recent; }

    /** Everything the user was told, newest last; the view shows each new one. */
    public ObservableList<Notice> notices() { return notices; }

    public AppSettings.WindowBounds windowBounds(AppSettings.WindowBounds fallback) {
        return settings.windowBounds().orElse(fallback);
    }

    /** Opens a target in a new tab, or selects its tab when it is already open. */
    public TargetModel open(String target) {
        String t = target == null ? "" : target.strip();
        if (t.isEmpty()) return null;
        for (TargetModel m : targets) {
            if (m.target().equals(t) && m.state() != TargetModel.State.FAILED) {
                selected.set(m);
                return m;
            }
        }
        TargetModel m = new TargetModel(t, opener, runner, this::report, theme);
        targets.add(m);
        selected.set(m);
        m.stateProperty().addListener((o, a, b) -> {
            if (a == TargetModel.State.CONNECTING && b != TargetModel.State.FAILED) remember(t);
        });
        m.open();
        return m;
    }

    public void close(TargetModel m) {
        m.close();
        int i = targets.indexOf(m);
        targets.remove(m);
        if (selected.get() == m) selected.set(targets.isEmpty() ? null : targets.get(Math.max(0, i - 1)));
    }

    /** Tells the user; called on the FX thread. */
    public void report(Notice n) {
        notices.add(n);
    }

    public void rememberWindow(AppSettings.WindowBounds b) {
        settings.setWindowBounds(b);
    }

    /** Closes every target; the caller saves the settings afterwards with {@link #saveSettings()}. */
    public void shutdown() {
        for (TargetModel m : new ArrayList<>(targets)) m.close();
    }

    /** Writes the settings now, on the calling thread (at exit, off the FX thread). */
    public void saveSettings() {
        settings.save();
    }

    private void remember(String t) {
        List<String> r = new ArrayList<>(recent);
        r.remove(t);
        r.addFirst(t);
        while (r.size() > AppSettings.MAX_RECENT) r.removeLast();
        recent.setAll(r);
        settings.setRecentTargets(r);
        saveLater();
    }

    private void saveLater() {
        runner.background("save-settings", () -> {
            settings.save();
            return null;
        }).whenComplete((v, e) -> {
            if (e != null) runner.onFx(() -> report(Notice.error("Cannot save settings", e)));
        });
    }
}
