package org.nbdscope.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.nbdscope.engine.extent.ExtentDiff;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.report.ExtentExports;
import org.nbdscope.engine.report.HeatMapColors;
import org.nbdscope.engine.report.HeatMapRaster;
import org.nbdscope.engine.report.Png;
import org.nbdscope.engine.session.SavedScan;
import org.nbdscope.engine.session.Session;
import org.nbdscope.engine.session.SessionFiles;
import org.nbdscope.engine.session.SessionTarget;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nbdscope export FILE.nbdscope --csv|--json|--png OUT}: one saved scan as CSV, nbdinfo JSON or a heat-map PNG. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Writes one scan of a saved session for other tools: its extents as CSV (offset,length,type,description),",
        "as JSON in the shape of nbdinfo --map --json, or its heat-map as a PNG. The newest scan of the selected",
        "target by default. Never connects to anything."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:written", "1:the output could not be written, or the target has no such scan", "2:usage error",
        "6:the session file is missing, corrupt, truncated or from a newer nbdscope"})
public final class ExportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE.nbdscope", description = "The session file.")
    Path file;

    static final class Output {
        @Option(names = "--csv", paramLabel = "OUT", required = true, description = "Extents as CSV ('-' for standard output).")
        Path csv;

        @Option(names = "--json", paramLabel = "OUT", required = true, description = "Extents as nbdinfo --map --json ('-' for standard output).")
        Path json;

        @Option(names = "--png", paramLabel = "OUT", required = true, description = "The heat-map as a PNG image.")
        Path png;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Output output;

    @Option(names = "--target", paramLabel = "ID|URI", description = "The target (its id, e.g. t1, or its URI or path); default: the one selected when saved.")
    String target;

    @Option(names = "--scan", paramLabel = "N", description = "The scan, counted from 1 as report lists them (default: the newest).")
    Integer scan;

    @Option(names = "--width", paramLabel = "PX", defaultValue = "1024", description = "PNG width (default ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--height", paramLabel = "PX", defaultValue = "512", description = "PNG height (default ${DEFAULT-VALUE}).")
    int height;

    @Option(names = "--dense", description = "PNG: one cell per pixel instead of the app's 7-pixel cells with gaps.")
    boolean dense;

    @Option(names = "--changes", description = "PNG: outline the cells that changed since the scan before.")
    boolean changes;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Session s = SessionCli.read(file);
            SessionTarget t = SessionCli.pick(s, target, file);
            if (t.scans().isEmpty()) throw new SessionCli.Failure(file + ": target " + t.id() + " has no scans", ExitCodes.FAILED);
            int n = scan == null ? t.scans().size() : scan;
            if (n < 1 || n > t.scans().size()) {
                throw new SessionCli.Failure("--scan " + n + ": target " + t.id() + " has scans 1.." + t.scans().size(), ExitCodes.USAGE);
            }
            SavedScan sc = t.scans().get(n - 1);
            ExtentMap map = sc.map();
            if (output.png != null) {
                ExtentDiff diff = null;
                if (changes && n > 1 && t.scans().get(n - 2).map().size() == map.size()) diff = ExtentDiff.of(t.scans().get(n - 2).map(), map);
                HeatMapRaster.Raster r;
                try {
                    r = HeatMapRaster.render(map, 0, map.size(), width, height, dense ? HeatMapRaster.Layout.DENSE : HeatMapRaster.Layout.APP,
                        HeatMapColors.light(), diff);
                } catch (IllegalArgumentException e) {
                    throw new SessionCli.Failure(e.getMessage(), ExitCodes.USAGE);
                }
                write(output.png, Png.encode(r), out);
            } else if (output.csv != null) {
                writeText(output.csv, w -> ExtentExports.csv(map, sc.context(), w), out);
            } else {
                writeText(output.json, w -> ExtentExports.nbdinfoJson(map, sc.context(), w), out);
            }
            return ExitCodes.OK;
        } catch (SessionCli.Failure f) {
            err.println("nbdscope: export: " + f.getMessage());
            return f.exitCode;
        }
    }

    /** A PNG to {@code to}: atomically into the file, or as raw bytes to standard output ({@code -}). */
    private static void write(Path to, byte[] bytes, PrintWriter out) throws SessionCli.Failure {
        if (to.toString().equals("-")) {
            out.flush();
            System.out.write(bytes, 0, bytes.length);
            System.out.flush();
            if (System.out.checkError()) throw new SessionCli.Failure("cannot write to standard output", ExitCodes.FAILED);
            return;
        }
        save(to, os -> os.write(bytes));
    }

    /**
     * Text to {@code to}: streamed atomically into the file (never held whole in memory: a CSV of ten
     * million extents is ~400 MB), or to standard output ({@code -}) through the command's writer.
     */
    private static void writeText(Path to, java.util.function.Consumer<Appendable> text, PrintWriter out) throws SessionCli.Failure {
        if (to.toString().equals("-")) {
            text.accept(out);
            out.flush();
            return;
        }
        save(to, os -> ExtentExports.writeUtf8(os, text));
    }

    private static void save(Path to, SessionFiles.Content content) throws SessionCli.Failure {
        try {
            SessionFiles.writeAtomically(to, content, false);
        } catch (IOException e) {
            throw new SessionCli.Failure(e.getMessage(), ExitCodes.FAILED);
        }
    }
}
