package org.nbdscope.app;

import org.nbdscope.app.cli.NbdscopeCommand;
import org.nbdscope.engine.nbd.client.NbdClient;
import picocli.CommandLine;

/** Entry point of both front ends: a subcommand runs the command line; no arguments opens the desktop app. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int rc = run(args);
        NbdClient.shutdown();
        if (NbdscopeCommand.isCommandLine(args)) halt(rc);
        System.exit(rc);
    }

    /**
     * Ends a finished command-line run: flushes the standard streams and halts. The command has closed
     * everything it opened and removed its Ctrl-C hook, so this skips only {@code System.exit}'s own
     * logging, which starts {@code java.util.logging} (10-15 ms) to log nothing. The desktop app exits normally.
     */
    static void halt(int rc) {
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(rc);
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return NbdscopeCommand.commandLine(args).execute(args);
    }
}
