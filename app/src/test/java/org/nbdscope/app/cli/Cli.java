package org.nbdscope.app.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command line in-process with captured standard output and error. */
record Cli(int exit, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = NbdscopeCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int rc = NbdscopeCommand.withEarlyOpen(args, () -> cl.execute(args));   // as Main.run does
        return new Cli(rc, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
}
