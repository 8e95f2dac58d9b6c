package org.nbdscope.app.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The top-level {@code nbdscope} command. Each subcommand is its own class, registered in
 * {@link #commandLine()}.
 */
@Command(name = "nbdscope", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Block status, zero flag and make-zero for NBD servers and disk images.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success (probe: reads as all zero)", "1:failed (server, I/O or input error)", "2:usage error or malformed URI",
        "3:probe: not all zero", "4:probe: unknown", "5:refused (no confirmation, read-only)", "130:cancelled"})
public final class NbdscopeCommand implements Callable<Integer> {

    /** Builds the command line with every subcommand and the shared error handling. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new NbdscopeCommand());
        // subcommands: one line each
        cl.addSubcommand(new InfoCommand());
        cl.addSubcommand(new ListCommand());
        cl.addSubcommand(new MapCommand());
        cl.addSubcommand(new AotTrainingCommand());
        cl.addSubcommand(new ServeCommand());
        cl.addSubcommand(new ProbeCommand());
        cl.addSubcommand(new MakeZeroCommand());
        cl.addSubcommand(new CompareCommand());
        cl.addSubcommand(new GuiCommand());
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            line.getErr().println("nbdscope: " + line.getCommandName() + ": " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return Targets.isUsageError(ex) ? ExitCodes.USAGE : ExitCodes.FAILED;
        });
        cl.setExitCodeExceptionMapper(ex -> ExitCodes.USAGE);
        return cl;
    }

    @Option(names = "--smoke", description = "Open the desktop app on the demo, wait for the scan, exit 0 (non-zero on failure).")
    boolean smoke;

    @Option(names = "--screenshot", paramLabel = "FILE", description = "With --smoke: write the window as a PNG.")
    Path screenshot;

    /** No subcommand: the desktop app on the built-in demo disk. */
    @Override
    public Integer call() {
        return GuiCommand.launch(List.of(), smoke, screenshot, 120);
    }
}
