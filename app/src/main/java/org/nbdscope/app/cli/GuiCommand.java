package org.nbdscope.app.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.nbdscope.app.AppTargets;
import org.nbdscope.app.gui.GuiLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nbdscope gui [TARGET...]}: the desktop app; with no target it opens the built-in demo disk. */
@Command(name = "gui", mixinStandardHelpOptions = true,
    description = {"Open the desktop app on the targets (NBD URIs or image files), each in a tab,",
        "or on a saved session (FILE.nbdscope). With no target it opens the built-in demo disk."})
public final class GuiCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TARGET", arity = "0..*", description = "NBD URI, image file, demo, or a session file (.nbdscope)")
    List<String> targets = new ArrayList<>();

    @Option(names = "--smoke", description = "Open the demo (or the targets), wait for the scan, exit 0; non-zero on failure.")
    boolean smoke;

    @Option(names = "--screenshot", paramLabel = "FILE", description = "With --smoke: write the window as a PNG.")
    Path screenshot;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
        description = "With --smoke: fail when the scan has not finished by then (default ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    @Override
    public Integer call() {
        return launch(targets, smoke, screenshot, timeoutSeconds);
    }

    /** Runs the desktop app (also the bare {@code nbdscope} and {@code nbdscope --smoke}). */
    static int launch(List<String> targets, boolean smoke, Path screenshot, long timeoutSeconds) {
        if (screenshot != null && !smoke) {
            System.err.println("nbdscope: --screenshot needs --smoke");
            return ExitCodes.USAGE;
        }
        if (timeoutSeconds <= 0) {
            System.err.println("nbdscope: --timeout must be positive, not " + timeoutSeconds);
            return ExitCodes.USAGE;
        }
        int code = GuiLauncher.run(new GuiLauncher.Options(List.copyOf(targets), smoke, screenshot,
            Duration.ofSeconds(timeoutSeconds)), AppTargets.standard(), System.err);
        return code == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
