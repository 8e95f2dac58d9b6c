package org.nbdscope.app.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.session.Session;
import org.nbdscope.engine.session.SessionFiles;
import org.nbdscope.engine.session.SessionFormatException;
import org.nbdscope.engine.session.SessionLock;
import org.nbdscope.engine.session.SessionTarget;
import org.nbdscope.engine.session.TargetInfo;
import org.nbdscope.engine.session.TargetRef;
import org.nbdscope.engine.source.OpenOptions;
import org.nbdscope.engine.source.Sources;

/**
 * {@code --save FILE.nbdscope} for map, probe, make-zero and compare, and reading sessions for report and
 * export. Saving adds to the file: a new file gets a new session; an existing session gets the result
 * appended to the target with the same URI or path (a new target when there is none), so repeated scans
 * build a history that {@code report} compares. A file that exists but is not a readable session is never
 * overwritten.
 */
final class SessionCli {
    private SessionCli() {}

    /** Thrown with a message for the user and the exit code to end with. */
    static final class Failure extends Exception {
        final int exitCode;

        Failure(String message, int exitCode) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    /** Reads a session for report or export; any problem becomes a {@link Failure} with {@link ExitCodes#BAD_SESSION}. */
    static Session read(Path file) throws Failure {
        try {
            return SessionFiles.read(file);
        } catch (SessionFormatException e) {
            throw new Failure(e.getMessage(), ExitCodes.BAD_SESSION);
        } catch (NoSuchFileException e) {
            throw new Failure(file + ": no such session file", ExitCodes.BAD_SESSION);
        } catch (IOException e) {
            throw new Failure(file + ": cannot read: " + e.getMessage(), ExitCodes.BAD_SESSION);
        }
    }

    /**
     * Adds a result to the session in {@code file} (created when missing): {@code change} is applied to the
     * target for {@code target}, whose facts become {@code facts} when given. Returns a one-line notice.
     */
    static String record(Path file, String target, OpenOptions options, TargetInfo facts, UnaryOperator<SessionTarget> change)
            throws Failure {
        if (!file.getFileName().toString().endsWith(SessionFiles.EXTENSION)) {
            throw new Failure("--save " + file + ": session files end in " + SessionFiles.EXTENSION, ExitCodes.USAGE);
        }
        try {
            // read, change and write under the file's lock: another nbdscope adding to it at the same time keeps its part
            return SessionLock.holding(file, () -> recordUnlocked(file, target, options, facts, change));
        } catch (IOException e) {
            throw new Failure(e.getMessage(), ExitCodes.FAILED);
        }
    }

    private static String recordUnlocked(Path file, String target, OpenOptions options, TargetInfo facts,
                                         UnaryOperator<SessionTarget> change) throws Failure {
        Session s;
        if (Files.exists(file)) {
            try {
                s = SessionFiles.read(file);
            } catch (IOException e) {
                throw new Failure("--save " + file + ": the file exists but is not a session this nbdscope can add to, so it was left alone: "
                    + e.getMessage(), ExitCodes.BAD_SESSION);
            }
        } else {
            s = Session.create(SessionFiles.nbdscopeVersion());
        }
        target = stored(target);
        SessionTarget t = s.targetFor(target);
        boolean added = t == null;
        if (added) t = SessionTarget.of(s.newTargetId(), TargetRef.of(target, options), facts);
        else if (facts != null) t = t.withFacts(facts);
        t = change.apply(t);
        s = s.withTarget(t);
        if (s.view().selectedTarget() == null) s = s.withView(s.view().withSelectedTarget(t.id()));
        try {
            SessionFiles.write(file, s);
        } catch (IOException e) {
            throw new Failure(e.getMessage(), ExitCodes.FAILED);
        }
        return "saved to " + file + " (" + (added ? "new target " : "target ") + t.id() + ")";
    }

    /**
     * Checks {@code --save FILE} before any work starts: the name must end in {@value SessionFiles#EXTENSION}
     * (else a usage error), and an existing file must be a session this nbdscope can add to. Returns the exit
     * code to stop with after printing why, or null to go on.
     */
    static Integer precheck(PrintWriter err, String command, Path file) {
        String problem = null;
        int rc = ExitCodes.OK;
        if (!file.getFileName().toString().endsWith(SessionFiles.EXTENSION)) {
            problem = "--save " + file + ": session files end in " + SessionFiles.EXTENSION;
            rc = ExitCodes.USAGE;
        } else if (Files.exists(file)) {
            try {
                SessionFiles.read(file);
            } catch (IOException e) {
                problem = "--save " + file + ": the file exists but is not a session this nbdscope can add to, so it was left alone: " + e.getMessage();
                rc = ExitCodes.BAD_SESSION;
            }
        }
        if (problem == null) return null;
        err.println("nbdscope: " + command + ": " + problem);
        err.flush();
        return rc;
    }

    /** Runs {@link #record} and reports on {@code err}; returns {@code rc}, or the failure's exit code. */
    static int save(PrintWriter err, String command, Path file, String target, OpenOptions options, TargetInfo facts,
                    UnaryOperator<SessionTarget> change, int rc) {
        try {
            err.println("nbdscope: " + command + ": " + record(file, target, options, facts, change));
            err.flush();
            return rc;
        } catch (Failure f) {
            err.println("nbdscope: " + command + ": " + f.getMessage());
            err.flush();
            return f.exitCode;
        }
    }

    /** How a target is kept: image files by their absolute path (the session may be opened from another folder), the rest as given. */
    static String stored(String target) {
        if (NbdUri.looksLikeNbd(target) || Sources.DEMO.equals(target) || target.startsWith("memory:")) return target;
        Path p = Path.of(target);
        return Files.exists(p) ? p.toAbsolutePath().normalize().toString() : target;
    }

    /** The target with this id or URI/path, else the selected one, else the first; a {@link Failure} when there is none. */
    static SessionTarget pick(Session s, String which, Path file) throws Failure {
        if (s.targets().isEmpty()) throw new Failure(file + ": the session has no targets", ExitCodes.FAILED);
        if (which != null) {
            SessionTarget t = s.target(which);
            if (t == null) t = s.targetFor(stored(which));
            if (t == null) {
                StringBuilder ids = new StringBuilder();
                for (SessionTarget x : s.targets()) ids.append(ids.isEmpty() ? "" : ", ").append(x.id()).append(" (").append(x.target().target()).append(')');
                throw new Failure(file + ": no target '" + which + "'; it has " + ids, ExitCodes.USAGE);
            }
            return t;
        }
        String sel = s.view().selectedTarget();
        if (sel != null && s.target(sel) != null) return s.target(sel);
        return s.targets().getFirst();
    }
}
