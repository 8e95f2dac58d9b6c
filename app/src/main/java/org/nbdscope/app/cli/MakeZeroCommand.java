package org.nbdscope.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.nbdscope.engine.nbd.NbdUriException;
import org.nbdscope.engine.session.SavedMakeZero;
import org.nbdscope.engine.session.TargetInfo;
import org.nbdscope.engine.source.OpenOptions;
import org.nbdscope.engine.zero.Attempt;
import org.nbdscope.engine.zero.Confirmation;
import org.nbdscope.engine.zero.MakeZero;
import org.nbdscope.engine.zero.MakeZeroResult;
import org.nbdscope.engine.zero.Plan;
import org.nbdscope.engine.zero.Strategy;
import org.nbdscope.engine.zero.TargetFacts;
import org.nbdscope.engine.zero.ZeroOptions;
import org.nbdscope.engine.zero.ZeroTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nbdscope make-zero TARGET}: make it read as all zero, cheapest rung first; or {@code --plan} it. */
@Command(name = "make-zero", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Makes the target read as all zero, cheapest rung first (in the spirit of qemu's bdrv_make_zero):",
        "  1 skip when the probe says it already reads as zero;",
        "  2 WRITE_ZEROES with FAST_ZERO: one 64-bit request with extended headers, one per 32-bit chunk without;",
        "  3 after NBD_ENOTSUP (or without FAST_ZERO): WRITE_ZEROES only over the extents the map shows are not zero;",
        "  4 literal zero writes, only with --allow-literal-writes;",
        "  5 raw files: fallocate punch-hole, else zero-range. qcow2 images are refused.",
        "Then a probe verifies the result. DESTROYS ALL DATA: nothing is written without --yes, and never to a",
        "read-only export or file. --plan shows the rung and the predicted requests and bytes without writing."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:reads as all zero (already, or zeroed and verified); --plan: plan made",
        "1:failed (a command failed)", "2:usage error or malformed URI",
        "3:zeroing commands succeeded but verification sees data", "4:zeroed, but nothing could verify it (try --read)",
        "5:refused (no --yes, read-only, qcow2, or the only rung left is not allowed); nothing was written",
        "130:cancelled (the target may be partly zeroed)"})
public final class MakeZeroCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TARGET", description = ZeroCli.TARGET_HELP)
    String target;

    @Option(names = "--plan", description = "Show which rung would run and the predicted requests and bytes; write nothing.")
    boolean plan;

    @Option(names = "--yes", description = "Confirm: destroy every byte of the target.")
    boolean yes;

    @Option(names = "--strategy", paramLabel = "RUNG", defaultValue = "auto",
        description = "auto (the ladder), fast-zero, zero-extents, literal or fallocate: run only that rung, without the initial probe or fallback.")
    String strategy;

    @Option(names = "--allow-literal-writes", description = "Allow rung 4: WRITE requests carrying zero bytes (every zeroed byte crosses the wire).")
    boolean literal;

    @Option(names = "--read", description = "Let the probes read content where block status cannot tell (costly).")
    boolean read;

    @Option(names = "--max-request", paramLabel = "BYTES", description = "Cap one zeroing request (default: the protocol's limit).")
    long maxRequest;

    @Option(names = "--in-flight", paramLabel = "N", description = "Requests kept in flight (default ${DEFAULT-VALUE}).")
    int inFlight = ZeroOptions.DEFAULT_IN_FLIGHT;

    @Option(names = "--json", description = "Print the result (or the plan) as JSON.")
    boolean json;

    @Option(names = "--save", paramLabel = "FILE.nbdscope",
        description = "Also save the result (or the plan) with the target's facts to a session file: created when missing, "
            + "else added to the same target.")
    Path save;

    @Override
    public Integer call() {
        if (save != null) {
            Integer stop = SessionCli.precheck(spec.commandLine().getErr(), "make-zero", save);
            if (stop != null) return stop;
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Strategy forced;
        try {
            forced = Strategy.parse(strategy);
        } catch (IllegalArgumentException e) {
            err.println("nbdscope: make-zero: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        ZeroOptions o = new ZeroOptions(forced, literal, read, false, inFlight, maxRequest);
        try (ZeroCli.Session s = new ZeroCli.Session(err); ZeroTarget t = ZeroCli.open(target, true)) {
            TargetFacts f = TargetFacts.of(t);
            if (plan) {
                Plan p = MakeZero.plan(t, o, s.token);
                print(out, f, "plan", p);
                if (!json) printPlan(out, p);
                out.flush();
                int rc = s.interrupted() ? ExitCodes.CANCELLED : p.refusal() != null ? ExitCodes.REFUSED : ExitCodes.OK;
                if (save == null) return rc;
                SavedMakeZero saved = new SavedMakeZero(Instant.now(), f, null, p);
                return SessionCli.save(err, "make-zero", save, target, OpenOptions.defaults(), TargetInfo.of(t), x -> x.withMakeZero(saved), rc);
            }
            MakeZeroResult r = MakeZero.run(t, o, yes ? Confirmation.yes() : Confirmation.none(), s.token);
            print(out, f, "result", r);
            if (!json) printResult(out, r);
            out.flush();
            if (r.outcome() == MakeZeroResult.Outcome.REFUSED) err.println("nbdscope: make-zero: " + r.message());
            int rc = ZeroCli.exitFor(r.outcome());
            if (save == null) return rc;
            SavedMakeZero saved = new SavedMakeZero(Instant.now(), f, r, null);
            return SessionCli.save(err, "make-zero", save, target, OpenOptions.defaults(), TargetInfo.of(t), x -> x.withMakeZero(saved), rc);
        } catch (NbdUriException e) {
            err.println("nbdscope: make-zero: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }

    private void print(PrintWriter out, TargetFacts f, String key, Object value) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("target", f);
            m.put(key, value);
            out.println(ZeroCli.JSON.writeValueAsString(m));
        } else {
            ZeroCli.facts(out, f);
        }
    }

    private static void printPlan(PrintWriter out, Plan p) {
        if (p.probe() != null) ZeroCli.probe(out, "reads as:     ", p.probe());
        if (p.refusal() != null) {
            out.printf(Locale.ROOT, "plan:         would be REFUSED: %s%n", p.refusal());
            return;
        }
        out.printf(Locale.ROOT, "plan:         %s%n", p.strategy().cliName());
        out.printf(Locale.ROOT, "  %s%n", p.reason());
        ZeroCli.prediction(out, "  zeroing:    ", p.zeroing());
        if (p.fallback() != null) ZeroCli.prediction(out, "  if NBD_ENOTSUP, " + p.fallback().cliName() + ": ", p.fallbackZeroing());
        ZeroCli.prediction(out, "  verify:     ", p.verify());
        out.printf(Locale.ROOT, "  planning cost (read-only): %s%n", p.planCost().summary());
    }

    private static void printResult(PrintWriter out, MakeZeroResult r) {
        out.printf(Locale.ROOT, "make-zero:    %s%s%n", r.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' '),
            r.strategy() == null ? "" : " (" + r.strategy().cliName() + ")");
        out.printf(Locale.ROOT, "  %s%n", r.message());
        if (r.before() != null) ZeroCli.probe(out, "  before:     ", r.before());
        for (Attempt a : r.attempts()) {
            out.printf(Locale.ROOT, "  rung %-13s %s: %s%n    cost: %s%n", a.strategy().cliName(), a.completed() ? "done" : "stopped",
                a.note(), a.cost().summary());
        }
        if (r.verify() != null) ZeroCli.probe(out, "  verified:   ", r.verify());
        out.printf(Locale.ROOT, "  zeroing cost: %s%n", r.zeroCost().summary());
        out.printf(Locale.ROOT, "  total cost:   %s%n", r.cost().summary());
    }
}
