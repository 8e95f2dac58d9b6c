package org.nbdscope.app.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.nbdscope.engine.nbd.NbdUriException;
import org.nbdscope.engine.session.SavedProbe;
import org.nbdscope.engine.session.TargetInfo;
import org.nbdscope.engine.source.OpenOptions;
import org.nbdscope.engine.zero.ProbeOptions;
import org.nbdscope.engine.zero.ProbeResult;
import org.nbdscope.engine.zero.TargetFacts;
import org.nbdscope.engine.zero.ZeroProbe;
import org.nbdscope.engine.zero.ZeroTarget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nbdscope probe TARGET}: does it read as all zero? Never writes. */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Answers whether the target reads as all zero: yes, no or unknown, with where the answer came",
        "from and what it cost. Cheapest source first: the zero flag (NBD_INFO_INIT_STATE, 0 extra round trips;",
        "its absence means unknown, never \"not zero\"), one 64-bit BLOCK_STATUS with REQ_ONE (extended headers),",
        "32-bit block status chunk by chunk stopping at the first extent that is not zero, SEEK_DATA for raw files,",
        "the L1/L2 tables for qcow2. --read compares content where nothing else can tell (costly; said before it starts).",
        "A probe never writes: the connection or file is opened read-only."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:reads as all zero", "1:failed (connection, I/O or server error)", "2:usage error or malformed URI",
        "3:not all zero", "4:unknown (no zero flag, no block status, --read not given)", "130:cancelled"})
public final class ProbeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TARGET", description = ZeroCli.TARGET_HELP)
    String target;

    @Option(names = "--json", description = "Print the target facts and the probe result as JSON.")
    boolean json;

    @Option(names = "--read", description = "Read and compare the ranges block status cannot vouch for (all of it without block status). Costly.")
    boolean read;

    @Option(names = "--no-zero-flag", description = "Ignore the zero flag, to measure the next source.")
    boolean noZeroFlag;

    @Option(names = "--in-flight", paramLabel = "N", description = "Requests kept in flight after the first answer (default ${DEFAULT-VALUE}).")
    int inFlight = ProbeOptions.DEFAULT_IN_FLIGHT;

    @Option(names = "--save", paramLabel = "FILE.nbdscope",
        description = "Also save the probe (with the target's facts) to a session file: created when missing, else added to the same target.")
    Path save;

    @Override
    public Integer call() {
        if (save != null) {
            Integer stop = SessionCli.precheck(spec.commandLine().getErr(), "probe", save);
            if (stop != null) return stop;
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ProbeOptions o = new ProbeOptions(!noZeroFlag, read, inFlight);
        try (ZeroCli.Session s = new ZeroCli.Session(err); ZeroTarget t = ZeroCli.open(target, false)) {
            ProbeResult r = ZeroProbe.run(t, o, s.token);
            TargetFacts f = TargetFacts.of(t);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("target", f);
                m.put("probe", r);
                out.println(ZeroCli.JSON.writeValueAsString(m));
            } else {
                ZeroCli.facts(out, f);
                ZeroCli.probe(out, "reads as:     ", r);
            }
            out.flush();
            int rc = s.interrupted() ? ExitCodes.CANCELLED : ZeroCli.exitFor(r.answer());
            if (save == null) return rc;
            SavedProbe saved = new SavedProbe(Instant.now(), f, r);
            return SessionCli.save(err, "probe", save, target, OpenOptions.defaults(), TargetInfo.of(t), x -> x.withProbe(saved), rc);
        } catch (NbdUriException e) {
            err.println("nbdscope: probe: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
