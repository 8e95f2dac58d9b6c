package org.nbdscope.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.nbdscope.engine.report.HtmlReport;
import org.nbdscope.engine.report.TextReport;
import org.nbdscope.engine.session.Session;
import org.nbdscope.engine.session.SessionFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nbdscope report FILE.nbdscope [--html OUT]}: a saved session as text, or as a self-contained HTML report. No display needed. */
@Command(name = "report", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints a saved session: its targets, scans with totals and costs, the changes between the last two",
        "scans of each target (hole -> data and back, with bytes per transition), and every probe, make-zero and",
        "compare. With --html writes a self-contained HTML report instead (heat-map embedded, no external resources).",
        "Never connects to anything."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:report written", "1:the report could not be written", "2:usage error",
        "6:the session file is missing, corrupt, truncated or from a newer nbdscope"})
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.nbdscope", description = "The session file.")
    Path file;

    @Option(names = "--html", paramLabel = "OUT", description = "Write an HTML report to OUT ('-' for standard output).")
    Path html;

    @Option(names = "--width", paramLabel = "PX", defaultValue = "800", description = "Heat-map width in the HTML report (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", paramLabel = "PX", defaultValue = "320", description = "Heat-map height in the HTML report (default ${DEFAULT-VALUE}).")
    int height;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Session s;
        try {
            s = SessionCli.read(file);
        } catch (SessionCli.Failure f) {
            err.println("nbdscope: report: " + f.getMessage());
            return f.exitCode;
        }
        if (html == null) {
            out.print(TextReport.render(s, file.toString()));
            out.flush();
            return ExitCodes.OK;
        }
        HtmlReport.Options o;
        try {
            o = new HtmlReport.Options(width, height, null, 200);
        } catch (IllegalArgumentException e) {
            err.println("nbdscope: report: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        String page = HtmlReport.render(s, o);
        if (html.toString().equals("-")) {
            out.print(page);
            out.flush();
            return ExitCodes.OK;
        }
        try {
            SessionFiles.writeAtomically(html, page.getBytes(StandardCharsets.UTF_8), false);
        } catch (IOException e) {
            err.println("nbdscope: report: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        err.println("nbdscope: report: wrote " + html);
        return ExitCodes.OK;
    }
}
