package org.nbdscope.app;

import java.util.Set;

import org.nbdscope.app.cli.ExitCodes;
import org.nbdscope.app.cli.NbdscopeCommand;
import picocli.CommandLine;

/**
 * Entry point of the {@code nbdscope-cli} launcher: the command line only. It never touches a display:
 * with no arguments it prints the usage, and the desktop entry points ({@code gui}, {@code --smoke}) are
 * refused with a pointer to the {@code nbdscope} launcher.
 */
public final class CliMain {
    private CliMain() {}

    private static final Set<String> DESKTOP = Set.of("gui", "--smoke", "--screenshot");

    public static void main(String[] args) {
        Main.prepareJvm();
        System.setProperty("java.awt.headless", "true");
        Main.endCommandLine(run(args));
    }

    /** Runs the command line without ever opening a window; returns the exit code. */
    public static int run(String... args) {
        return NbdscopeCommand.withEarlyOpen(args, () -> runCommand(args));
    }

    private static int runCommand(String... args) {
        CommandLine cl = args.length == 0 ? NbdscopeCommand.commandLine() : NbdscopeCommand.commandLine(args);
        if (args.length == 0) {
            cl.usage(cl.getOut());
            return ExitCodes.OK;
        }
        if (args[0].toLowerCase(java.util.Locale.ROOT).endsWith(".nbdscope")) {
            cl.getErr().println("nbdscope-cli: '" + args[0] + "' is a session file, which opens in the desktop app; "
                + "use the nbdscope launcher for it");
            return ExitCodes.USAGE;
        }
        for (String a : args) {
            if (DESKTOP.contains(a) || a.startsWith("--screenshot=")) {
                cl.getErr().println("nbdscope-cli: '" + a + "' opens the desktop app; use the nbdscope launcher for it");
                return ExitCodes.USAGE;
            }
        }
        return cl.execute(args);
    }
}
