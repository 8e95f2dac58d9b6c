package org.nbdscope.app.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.image.ImageOptions;
import org.nbdscope.engine.image.ImageSource;
import org.nbdscope.engine.image.QemuMap;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.report.NbdinfoFormat;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.session.SavedScan;
import org.nbdscope.engine.session.TargetInfo;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.Sources;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nbdscope map URI}: the block status of a whole export, printed exactly as Debian's
 * {@code nbdinfo --map} (libnbd 1.14) prints it, but fetched with many requests in flight and streamed as
 * it arrives.
 */
@Command(name = "map", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Prints the block status of a whole export, line for line as nbdinfo --map does:",
        "offset, length, type and description of each run of equal status (`data`, `hole,zero`, ...).",
        "Requests run in parallel over disjoint ranges; lines appear as the covered prefix grows."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the whole map was printed", "1:failed (no such meta context, server or I/O error)",
        "2:usage error or malformed URI", "130:cancelled (Ctrl-C)"})
public final class MapCommand implements Callable<Integer> {
    /** Connections when the server allows several and the map is long enough (nbdcopy's default too). */
    static final int DEFAULT_CONNECTIONS = 4;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TARGET",
        description = "NBD URI (nbd://HOST[:PORT]/EXPORT, nbds://..., nbd+unix:///EXPORT?socket=PATH), an image file (raw, qcow2), or demo")
    String target;

    @Option(names = "--context", paramLabel = "NAME", defaultValue = BlockStatusFlags.BASE_ALLOCATION,
        description = "Meta context to map (default: ${DEFAULT-VALUE}); e.g. qemu:allocation-depth, qemu:dirty-bitmap:NAME.")
    String context;

    @Option(names = "--totals", description = "Print the bytes and share of each status instead of the extents (nbdinfo --map --totals).")
    boolean totals;

    @Option(names = "--json", description = "Print JSON in nbdinfo's shape.")
    boolean json;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
        description = "text (nbdinfo --map), json (nbdinfo --map --json), or qemu-json (exactly qemu-img map --output=json; image files only).")
    String format;

    @Option(names = "--no-backing", description = "Image files: do not open backing files; ranges they would answer are unknown.")
    boolean noBacking;

    @Option(names = "--detect-zeroes", description = "Raw image files: read allocated ranges and report those that read as zero as 'zero'.")
    boolean detectZeroes;

    @Option(names = "--in-flight", paramLabel = "N",
        description = "Block-status requests kept in flight over disjoint ranges, 1..1024 (default: "
            + ConnectionPool.PER_CONNECTION + " per connection over several connections, else what the source prefers, usually "
            + ScanOptions.DEFAULT_IN_FLIGHT + ").")
    Integer inFlight;

    @Option(names = "--connections", paramLabel = "N",
        description = "Connections to use, 1..16, when the server allows several (NBD_FLAG_CAN_MULTI_CONN) and the map "
            + "takes more than " + ConnectionPool.MIN_REQUESTS + " requests (default: " + DEFAULT_CONNECTIONS + ", as nbdcopy). "
            + "Servers work on a bounded number of requests per connection.")
    Integer connections;

    @Option(names = {"--colour", "--color"}, negatable = true,
        description = "Colour the text output as nbdinfo does (default: when standard output is a terminal).")
    Boolean colour;

    @Option(names = "--save", paramLabel = "FILE.nbdscope",
        description = "Also save the scan (with what was negotiated and its cost) to a session file: created when missing, "
            + "else the scan is added to the same target's history.")
    Path save;

    @Option(names = "--stats", hidden = true, description = "Print scan figures (requests, time, bytes per extent held) to standard error.")
    boolean stats;

    @Override
    public Integer call() {
        if (inFlight != null && (inFlight < 1 || inFlight > 1024)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--in-flight must be 1..1024, not " + inFlight);
        }
        if (connections != null && (connections < 1 || connections > 16)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--connections must be 1..16, not " + connections);
        }
        switch (format) {
            case "text" -> { }
            case "json" -> json = true;
            case "qemu-json" -> {
                if (save != null) throw new CommandLine.ParameterException(spec.commandLine(), "--save does not go with --format qemu-json");
                return qemuJson();
            }
            default -> throw new CommandLine.ParameterException(spec.commandLine(), "--format must be text, json or qemu-json, not " + format);
        }
        if (save != null) {
            Integer stop = SessionCli.precheck(spec.commandLine().getErr(), "map", save);
            if (stop != null) return stop;
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        StreamingScan scan = new StreamingScan();
        try (CtrlC ctrlC = CtrlC.arm(scan::cancel); Closer closer = new Closer(Targets.open(target, context, imageOptions()))) {
            BlockSource source = closer.source;
            if (!source.contexts().contains(context)) {
                err.println("nbdscope: map: server does not support metadata context \"" + context + "\"");
                return ExitCodes.FAILED;
            }
            int conns = !ConnectionPool.worthWidening(source) ? 1 : connections != null ? connections : DEFAULT_CONNECTIONS;
            source = closer.source = ConnectionPool.widen(source, conns - 1, Sources.clientOptions(Targets.options(context)), context,
                EarlyOpen.takeExtra(source));
            int n = inFlight != null ? inFlight
                : conns > 1 ? conns * ConnectionPool.PER_CONNECTION
                : Math.max(1, Math.min(1024, source.preferredInFlight()));
            ScanOptions options = ScanOptions.defaults().withContext(context).withInFlight(n);
            MapPrinter.Shape shape = json ? MapPrinter.Shape.JSON : MapPrinter.Shape.TEXT;
            boolean coloured = !json && (colour != null ? colour : NbdinfoFormat.stdoutIsTerminal());
            MapPrinter printer = totals ? null : new MapPrinter(out, shape, context, coloured);
            ScanResult r = scan.run(source, options, printer);
            if (r == null) {
                err.println("nbdscope: map: cancelled");
                return ExitCodes.CANCELLED;
            }
            int rc = ctrlC.interrupted() ? cancelled(err, r) : finish(r, out, err, shape, coloured, printer, n, source);
            if (save == null) return rc;
            TargetInfo facts = TargetInfo.of(source);
            return SessionCli.save(err, "map", save, target, Targets.options(context).withImage(imageOptions()), facts,
                t -> t.withScan(SavedScan.of(r, context, Instant.now())), rc);
        }
    }

    private int finish(ScanResult r, PrintWriter out, PrintWriter err, MapPrinter.Shape shape, boolean coloured, MapPrinter printer,
                       int n, BlockSource source) {
        return switch (r.outcome()) {
            case COMPLETE -> {
                if (totals) MapPrinter.printTotals(out, r.map(), shape, context, coloured);
                if (stats) {
                    printStats(err, r, n, source instanceof ConnectionPool p ? p.connections() : 1);
                    if (source instanceof ConnectionPool p) err.println("nbdscope: map: " + p.describe());
                }
                yield ExitCodes.OK;
            }
            case CANCELLED -> printer != null && printer.broken() ? ExitCodes.FAILED : cancelled(err, r);
            case FAILED -> {
                err.println("nbdscope: map: " + r.error());
                yield ExitCodes.FAILED;
            }
        };
    }

    private ImageOptions imageOptions() {
        return ImageOptions.defaults().withAllowBacking(!noBacking).withDetectZeroes(detectZeroes);
    }

    /** {@code --format qemu-json}: the exact text of {@code qemu-img map --output=json}, streamed. */
    private int qemuJson() {
        PrintWriter out = spec.commandLine().getOut();
        try (BlockSource source = Targets.open(target, context, imageOptions())) {
            if (!(source instanceof ImageSource)) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                    "--format qemu-json maps image files only; " + target + " is not one (use --format json for NBD exports)");
            }
            OutputStream os = new OutputStream() {
                @Override public void write(int b) { out.write(b); }
                @Override public void write(byte[] b, int off, int len) { out.write(new String(b, off, len, StandardCharsets.ISO_8859_1)); }
                @Override public void flush() { out.flush(); }
            };
            QemuMap.writeJson(source, os);
            out.flush();
            return ExitCodes.OK;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int cancelled(PrintWriter err, ScanResult r) {
        err.println("nbdscope: map: cancelled after mapping " + knownPrefix(r.map()) + " of " + r.map().size() + " bytes");
        return ExitCodes.CANCELLED;
    }

    /** Closes whichever source is current: the first connection, or the pool that took it over. */
    private static final class Closer implements AutoCloseable {
        BlockSource source;

        Closer(BlockSource source) { this.source = source; }

        @Override
        public void close() { source.close(); }
    }

    /** Bytes known from offset 0 up to the first unknown range. */
    static long knownPrefix(ExtentMap map) {
        for (int i = 0; i < map.count(); i++) if (map.status(i) == ExtentMap.UNKNOWN) return map.start(i);
        return map.covered();
    }

    private static void printStats(PrintWriter err, ScanResult r, int inFlight, int connections) {
        err.printf(java.util.Locale.ROOT, "nbdscope: map: %d extents, %.1f bytes per extent held (ExtentMap), %d requests (%d in flight, "
                + "%d connections), %d round trips, %d bytes received, scan %.1f ms%n",
            r.map().count(), r.map().bytesPerExtent(), r.cost().totalRequests(), inFlight, connections, r.cost().roundTrips(),
            r.cost().bytesReceived(), r.elapsedNanos() / 1e6);
    }
}
