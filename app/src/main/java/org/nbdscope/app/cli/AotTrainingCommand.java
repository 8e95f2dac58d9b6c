package org.nbdscope.app.cli;

import java.io.PrintWriter;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Hidden: the training run for the JDK's ahead-of-time cache. The {@code ./nbdscope} launcher runs it once
 * after each build with {@code -XX:AOTCacheOutput}, so the classes (and profiles) of the command line's
 * start-up path are loaded from the cache in later runs. It renders every command's help and, for each
 * target given (the launcher passes throw-away local servers, over TCP and a Unix socket, when nbdkit is at
 * hand), runs {@code info}, {@code list} and {@code map} in each output shape against it. All output is discarded.
 */
@Command(name = "aot-training", hidden = true, description = "Training run for the JDK's ahead-of-time cache.")
public final class AotTrainingCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "URI", description = "Servers to map while training.")
    List<String> targets = List.of();

    @Override
    public Integer call() {
        List<String[]> runs = new ArrayList<>();
        runs.add(new String[] {"--help"});
        runs.add(new String[] {"--version"});
        for (String sub : NbdscopeCommand.commandLine().getSubcommands().keySet()) {
            if (!sub.equals("aot-training")) runs.add(new String[] {sub, "--help"});
        }
        runs.add(new String[] {"map", "nbd://[::1"});
        for (String target : targets) {
            runs.add(new String[] {"info", target});
            runs.add(new String[] {"info", "--json", target});
            runs.add(new String[] {"list", target});
            runs.add(new String[] {"map", target});
            runs.add(new String[] {"map", "--json", target});
            runs.add(new String[] {"map", "--totals", target});
        }
        int failed = 0;
        for (String[] args : runs) {
            CommandLine cl = NbdscopeCommand.commandLine();
            PrintWriter nul = new PrintWriter(Writer.nullWriter());
            cl.setOut(nul);
            cl.setErr(nul);
            int rc = NbdscopeCommand.withEarlyOpen(args, () -> cl.execute(args));   // as a real start runs
            if (rc != ExitCodes.OK && rc != ExitCodes.USAGE) failed++;
        }
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
