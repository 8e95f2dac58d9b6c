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
        System.exit(rc);
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return NbdscopeCommand.commandLine(args).execute(args);
    }
}
