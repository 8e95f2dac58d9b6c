package org.nbdscope.app.gui.model;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.zero.Comparison;
import org.nbdscope.engine.zero.MakeZeroResult;
import org.nbdscope.engine.zero.Plan;
import org.nbdscope.engine.zero.ProbeResult;

/**
 * Between the app's tabs and the engine's session files: what a tab saves ({@link SavedTarget}), the whole
 * window's state at one moment ({@link Snapshot}), and what a loaded file gives back ({@link Loaded}). The
 * writing, reading, diffing and exporting are the engine's; this class only converts. {@link #snapshot} runs on
 * the FX thread and copies nothing large; the rest runs on the task runner.
 */
public final class SessionMapper {
    private SessionMapper() {}

    /** One tab as a session saves it. Any result may be null; {@code viewTo <= viewFrom} means the whole disk. */
    public record SavedTarget(String target, String title, long size, boolean readOnly, List<DetailRow> details,
                              ScanResult scan, Instant scannedAt, ProbeResult probe, MakeZeroResult run, Plan plan,
                              Comparison comparison, String notes, long viewFrom, long viewTo, Instant savedAt) {}

    /** The window's state to write. */
    public record Snapshot(List<SavedTarget> targets, Theme theme, Instant created, Instant saved) {}

    /** A session read back, with what the reader wants the user to know (an upgraded schema, ignored fields). */
    public record Loaded(List<SavedTarget> targets, Theme theme, Instant created, Instant saved, List<String> warnings) {}

    /** Takes the tabs' state now (FX thread). */
    static Snapshot snapshot(List<TargetModel> targets, Theme theme, Instant created) {
        Instant now = Instant.now();
        List<SavedTarget> out = new ArrayList<>();
        for (TargetModel m : targets) out.add(m.toSaved(now));
        return new Snapshot(List.copyOf(out), theme, created, now);
    }
}
