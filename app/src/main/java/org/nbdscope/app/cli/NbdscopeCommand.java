package org.nbdscope.app.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

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
        "3:probe: not all zero", "4:probe: unknown", "5:refused (no confirmation, read-only)",
        "6:session file missing, corrupt or from a newer nbdscope", "130:cancelled"})
public final class NbdscopeCommand implements Callable<Integer> {

    /** Every subcommand by name, in help order: one line each. */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("info", InfoCommand::new);
        SUBCOMMANDS.put("list", ListCommand::new);
        SUBCOMMANDS.put("map", MapCommand::new);
        SUBCOMMANDS.put("aot-training", AotTrainingCommand::new);
        SUBCOMMANDS.put("serve", ServeCommand::new);
        SUBCOMMANDS.put("probe", ProbeCommand::new);
        SUBCOMMANDS.put("make-zero", MakeZeroCommand::new);
        SUBCOMMANDS.put("compare", CompareCommand::new);
        SUBCOMMANDS.put("report", ReportCommand::new);
        SUBCOMMANDS.put("export", ExportCommand::new);
        SUBCOMMANDS.put("gui", GuiCommand::new);
    }

    /** Builds the command line with every subcommand and the shared error handling. */
    public static CommandLine commandLine() {
        return build(SUBCOMMANDS.keySet());
    }

    /**
     * The command line for these arguments: when the first names a subcommand only that one is built
     * (picocli reflects over every option of every subcommand it is given, which costs a short command a
     * large share of its start-up); the desktop app (no arguments, {@code --smoke}) and {@code --version}
     * need none; otherwise all of them, so help and errors list every command.
     */
    public static CommandLine commandLine(String... args) {
        boolean help = List.of(args).contains("--help") || List.of(args).contains("-h");
        if (!help && (args.length == 0 || args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))
            || args[0].equals("--smoke") || args[0].startsWith("--screenshot"))) {
            return build(Set.of());   // the desktop app or the version: no subcommand runs
        }
        return args.length > 0 && SUBCOMMANDS.containsKey(args[0]) ? build(Set.of(args[0])) : commandLine();
    }

    /**
     * Runs {@code run} (which builds the command line for {@code args} and executes it) while the target of
     * {@code args} is being connected to, when they are a map of an NBD URI (see {@link EarlyOpen}): the
     * command takes that connection if it asks for exactly it, and what it did not take is closed after.
     */
    public static int withEarlyOpen(String[] args, java.util.function.IntSupplier run) {
        EarlyOpen.start(args);
        try {
            return run.getAsInt();
        } finally {
            EarlyOpen.discard();
        }
    }

    /** True when {@code args} run the command line (a subcommand other than gui, help or version), not the desktop app. */
    public static boolean isCommandLine(String... args) {
        if (args.length == 0) return false;
        String first = args[0];
        return SUBCOMMANDS.containsKey(first) ? !first.equals("gui") : Set.of("-h", "--help", "-V", "--version").contains(first);
    }

    private static CommandLine build(Set<String> names) {
        // picocli looks for Groovy (Class.forName("groovy.lang.Closure")) unless told not to; the failed
        // lookup opens every jar on the class path, ~20 ms of every start
        System.setProperty("picocli.disable.closures", "true");
        CommandLine cl = new CommandLine(new NbdscopeCommand());
        SUBCOMMANDS.forEach((name, make) -> {
            if (names.contains(name)) cl.addSubcommand(name, make.get());
        });
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

    @picocli.CommandLine.Parameters(paramLabel = "FILE.nbdscope", arity = "0..1",
        description = "A saved session to open in the desktop app (as the desktop entry passes it).")
    Path session;

    /** No subcommand: the desktop app on the built-in demo disk, or on the session file given. */
    @Override
    public Integer call() {
        if (session != null && !session.toString().toLowerCase(java.util.Locale.ROOT).endsWith(".nbdscope")) {
            String commands = String.join(", ", SUBCOMMANDS.keySet().stream().filter(c -> !c.equals("aot-training")).toList());
            System.err.println("nbdscope: unknown command '" + session + "' (commands: " + commands
                + "; a session file to open ends in .nbdscope; see nbdscope --help)");
            return ExitCodes.USAGE;
        }
        return GuiCommand.launch(session == null ? List.of() : List.of(session.toString()), smoke, screenshot, 120);
    }
}
