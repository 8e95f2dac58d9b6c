package org.nbdscope.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.NbdUriException;
import org.nbdscope.engine.source.OpenOptions;
import org.nbdscope.engine.source.SourceException;
import org.nbdscope.engine.source.Sources;
import org.nbdscope.engine.zero.Answer;
import org.nbdscope.engine.zero.CancelToken;
import org.nbdscope.engine.zero.Cost;
import org.nbdscope.engine.zero.MakeZeroResult;
import org.nbdscope.engine.zero.Prediction;
import org.nbdscope.engine.zero.ProbeResult;
import org.nbdscope.engine.zero.ProbeStep;
import org.nbdscope.engine.zero.TargetFacts;
import org.nbdscope.engine.zero.Units;
import org.nbdscope.engine.zero.ZeroTarget;
import org.nbdscope.engine.zero.ZeroTargets;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** What {@code probe}, {@code make-zero} and {@code compare} share: opening, Ctrl-C, JSON, exit codes, text. */
final class ZeroCli {
    private ZeroCli() {}

    static final String TARGET_HELP = "NBD URI (nbd://HOST[:PORT]/EXPORT, nbds://..., nbd+unix:///EXPORT?socket=PATH), "
        + "a raw image file or block device, or a qcow2 image (probe only)";

    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    /** Opens the target; a malformed URI becomes a usage error (exit 2) naming the bad part. */
    static ZeroTarget open(String target, boolean forWriting) {
        if (!NbdUri.looksLikeNbd(target) && !Files.exists(Path.of(target)) && !Sources.isBuiltIn(target)) {
            NbdUri.parse(target); // throws NbdUriException naming the bad part
        }
        try {
            return ZeroTargets.open(target, OpenOptions.defaults(), forWriting);
        } catch (SourceException e) {
            if (e.getCause() instanceof NbdUriException u) throw u;
            throw e;
        }
    }

    static int exitFor(Answer a) {
        return switch (a) {
            case YES -> ExitCodes.OK;
            case NO -> ExitCodes.NOT_ZERO;
            case UNKNOWN -> ExitCodes.UNKNOWN;
        };
    }

    static int exitFor(MakeZeroResult.Outcome o) {
        return switch (o) {
            case ALREADY_ZERO, ZEROED -> ExitCodes.OK;
            case STILL_NOT_ZERO -> ExitCodes.NOT_ZERO;
            case UNVERIFIED -> ExitCodes.UNKNOWN;
            case REFUSED -> ExitCodes.REFUSED;
            case FAILED -> ExitCodes.FAILED;
            case CANCELLED -> ExitCodes.CANCELLED;
        };
    }

    /**
     * A cancel token that prints notices to stderr at once (before the work they announce starts), progress at
     * most once a second when stderr is a terminal, and is cancelled by Ctrl-C for as long as it is armed.
     */
    static final class Session implements AutoCloseable {
        final CancelToken token;
        private final CtrlC ctrlC;
        private long lastProgress;

        Session(PrintWriter err) {
            boolean tty = System.console() != null;
            this.token = new CancelToken(msg -> {
                err.println("nbdscope: " + msg);
                err.flush();
            }, (phase, d, total) -> {
                long now = System.nanoTime();
                if (!tty || now - lastProgress < 1_000_000_000L) return;
                lastProgress = now;
                err.printf(Locale.ROOT, "nbdscope: %s: %s of %s%n", phase, Units.bytes(d), Units.bytes(total));
                err.flush();
            });
            this.ctrlC = CtrlC.arm(() -> {
                token.cancel();
                return true;
            });
        }

        boolean interrupted() { return ctrlC.interrupted() || token.cancelled(); }

        @Override
        public void close() {
            ctrlC.close();
        }
    }

    // ---- text ----

    static String answerWord(Answer a) {
        return switch (a) {
            case YES -> "zero";
            case NO -> "not zero";
            case UNKNOWN -> "unknown";
        };
    }

    static void facts(PrintWriter out, TargetFacts f) {
        out.printf(Locale.ROOT, "target:       %s%n", f.target());
        out.printf(Locale.ROOT, "size:         %d (%s), %s%s%n", f.size(), Units.bytes(f.size()),
            f.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '), f.readOnly() ? ", read-only" : "");
        out.printf(Locale.ROOT, "header mode:  %s%n", f.headerMode());
        if (f.kind() == org.nbdscope.engine.zero.TargetKind.NBD) {
            out.printf(Locale.ROOT, "zero flag:    %s%n", f.zeroFlag());
            out.printf(Locale.ROOT, "zeroing:      %s%n", !f.writeZeroes() ? "no WRITE_ZEROES"
                : "WRITE_ZEROES" + (f.fastZero() ? " with FAST_ZERO" : " without FAST_ZERO")
                + ", at most " + (f.maxZeroRequest() == Long.MAX_VALUE ? "the whole export" : Units.bytes(f.maxZeroRequest())) + " per request");
        }
    }

    static void probe(PrintWriter out, String label, ProbeResult r) {
        out.printf(Locale.ROOT, "%s%s (%s)%n", label, answerWord(r.answer()), r.source().name());
        out.printf(Locale.ROOT, "  %s%n", r.detail());
        out.printf(Locale.ROOT, "  cost: %s%n", r.cost().summary());
        for (ProbeStep s : r.steps()) {
            out.printf(Locale.ROOT, "  tried %-16s %-8s %s%n", s.source().name(), answerWord(s.answer()), s.note());
        }
    }

    static void prediction(PrintWriter out, String label, Prediction p) {
        out.printf(Locale.ROOT, "%s%s%d %s%s, %s sent, %s received: %s%n", label, p.upperBound() ? "at most " : "",
            p.requests(), p.requests() == 1 ? "request" : "requests", commands(p.requestsByCommand()),
            Units.bytes(p.bytesSent()), Units.bytes(p.bytesReceived()), p.note());
    }

    static String commands(Map<String, Long> m) {
        if (m.isEmpty()) return "";
        StringBuilder sb = new StringBuilder(" (");
        m.forEach((k, v) -> sb.append(sb.length() > 2 ? ", " : "").append(k).append(' ').append(v));
        return sb.append(')').toString();
    }

    static String cost(Cost c) { return c.summary(); }
}
