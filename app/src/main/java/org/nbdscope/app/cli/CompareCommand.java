package org.nbdscope.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.nbdscope.engine.nbd.NbdUriException;
import org.nbdscope.engine.session.SavedComparison;
import org.nbdscope.engine.session.TargetInfo;
import org.nbdscope.engine.source.OpenOptions;
import org.nbdscope.engine.zero.Answer;
import org.nbdscope.engine.zero.Compare;
import org.nbdscope.engine.zero.Comparison;
import org.nbdscope.engine.zero.Confirmation;
import org.nbdscope.engine.zero.ProbeOptions;
import org.nbdscope.engine.zero.Side;
import org.nbdscope.engine.zero.Units;
import org.nbdscope.engine.zero.ZeroOptions;
import org.nbdscope.engine.zero.ZeroTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nbdscope compare TARGET}: the zero-flag probe against full make-zero, side by side. */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs both sides of the 2020 NBD debate on one target and compares their cost: the zero probe",
        "(zero flag first, then block status) against full make-zero (making it zero without asking first,",
        "then verifying). Without --yes make-zero is only planned, with predicted figures, and nothing is written.",
        "With --yes on a writable target it really runs: ALL DATA IS DESTROYED."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:the target ends reading as all zero (make-zero's verified state when it ran, else the probe's answer)",
        "1:failed", "2:usage error or malformed URI", "3:not all zero", "4:unknown", "130:cancelled"})
public final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TARGET", description = ZeroCli.TARGET_HELP)
    String target;

    @Option(names = "--yes", description = "Really run make-zero (destroys every byte), instead of planning it.")
    boolean yes;

    @Option(names = "--allow-literal-writes", description = "Allow make-zero's literal-write rung.")
    boolean literal;

    @Option(names = "--read", description = "Let the probes read content where block status cannot tell (costly).")
    boolean read;

    @Option(names = "--json", description = "Print the comparison record as JSON (the shape session files keep).")
    boolean json;

    @Option(names = "--save", paramLabel = "FILE.nbdscope",
        description = "Also save the comparison (both sides, the verdict, the target's facts) to a session file: created when missing, "
            + "else added to the same target.")
    Path save;

    @Override
    public Integer call() {
        if (save != null) {
            Integer stop = SessionCli.precheck(spec.commandLine().getErr(), "compare", save);
            if (stop != null) return stop;
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (ZeroCli.Session s = new ZeroCli.Session(err); ZeroTarget t = ZeroCli.open(target, true)) {
            Comparison c = Compare.run(t, yes ? Confirmation.yes() : Confirmation.none(),
                ProbeOptions.defaults().withRead(read), ZeroOptions.defaults().withLiteralWrites(literal).withRead(read), s.token);
            if (json) out.println(ZeroCli.JSON.writeValueAsString(c));
            else print(out, c);
            out.flush();
            Answer end = c.makeZero().executed() ? c.makeZero().finalState() : c.probe().finalState();
            int rc = s.interrupted() ? ExitCodes.CANCELLED : ZeroCli.exitFor(end == null ? Answer.UNKNOWN : end);
            if (save == null) return rc;
            SavedComparison saved = new SavedComparison(Instant.now(), c);
            return SessionCli.save(err, "compare", save, target, OpenOptions.defaults(), TargetInfo.of(t), x -> x.withComparison(saved), rc);
        } catch (NbdUriException e) {
            err.println("nbdscope: compare: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }

    private static void print(PrintWriter out, Comparison c) {
        out.printf(Locale.ROOT, "compare %s: %s (%s), %s headers, zero flag %s, fast zero %s%n", c.target(), Units.bytes(c.size()),
            c.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '), c.headerMode(), c.zeroFlag(), c.fastZero() ? "yes" : "no");
        Side p = c.probe();
        Side m = c.makeZero();
        String fmt = "  %-16s %-30s %-30s%n";
        out.printf(Locale.ROOT, fmt, "", "zero probe", m.executed() ? "make-zero (ran)" : "make-zero (planned)");
        out.printf(Locale.ROOT, fmt, "method", p.method(), m.method());
        out.printf(Locale.ROOT, fmt, "requests", p.requests() + ZeroCli.commands(p.requestsByCommand()),
            m.requests() + ZeroCli.commands(m.requestsByCommand()));
        out.printf(Locale.ROOT, fmt, "round trips", p.roundTrips(), m.roundTrips());
        out.printf(Locale.ROOT, fmt, "bytes sent", p.bytesSent(), m.bytesSent());
        out.printf(Locale.ROOT, fmt, "bytes received", p.bytesReceived(), m.bytesReceived());
        out.printf(Locale.ROOT, fmt, "wall time", ms(p), ms(m));
        out.printf(Locale.ROOT, fmt, "server errors", p.serverErrors(), m.executed() ? String.valueOf(m.serverErrors()) : "-");
        out.printf(Locale.ROOT, fmt, "final state", state(p), state(m));
        out.printf(Locale.ROOT, "  probe:     %s%n", p.detail());
        out.printf(Locale.ROOT, "  make-zero: %s%n", m.detail());
        out.printf(Locale.ROOT, "winner: %s: %s%n", c.winner(), c.why());
    }

    private static String ms(Side s) {
        return s.wallMillis() < 0 ? "not run" : String.format(Locale.ROOT, "%.2f ms", s.wallMillis());
    }

    private static String state(Side s) {
        return s.finalState() == null ? "not run" : ZeroCli.answerWord(s.finalState());
    }
}
