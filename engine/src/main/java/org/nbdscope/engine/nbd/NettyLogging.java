package org.nbdscope.engine.nbd;

import java.io.PrintStream;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

/**
 * Netty's log output for nbdscope: warnings and errors go to standard error, the rest is dropped. Without
 * it, Netty's first logger probes for SLF4J and Log4J on the class path and then starts
 * {@code java.util.logging}, which costs a short command-line run 15-30 ms. With the system property
 * {@code nbdscope.netty.log=default}, Netty chooses its logging itself (for debugging Netty).
 */
public final class NettyLogging {
    private NettyLogging() {}

    private static boolean installed;

    /** Installs the factory unless Netty's own choice was asked for; call before Netty is used. */
    public static synchronized void install() {
        if (installed) return;
        installed = true;
        if (!"default".equals(System.getProperty("nbdscope.netty.log"))) {
            InternalLoggerFactory.setDefaultFactory(new Factory());
        }
    }

    private static final class Factory extends InternalLoggerFactory {
        @Override
        protected InternalLogger newInstance(String name) {
            return new WarningsLogger(name);
        }
    }

    /** Replaces each {@code {}} in {@code format} with the next argument, as Netty's (SLF4J's) formatter does. */
    static String format(String format, Object... args) {
        if (format == null || args == null || args.length == 0) return format;
        StringBuilder sb = new StringBuilder(format.length() + 16 * args.length);
        int from = 0;
        int next = 0;
        while (next < args.length) {
            int at = format.indexOf("{}", from);
            if (at < 0) break;
            sb.append(format, from, at).append(args[next++]);
            from = at + 2;
        }
        return sb.append(format, from, format.length()).toString();
    }

    /** The trailing argument, when it is a throwable (SLF4J's convention). */
    private static Throwable trailing(Object... args) {
        return args != null && args.length > 0 && args[args.length - 1] instanceof Throwable t ? t : null;
    }

    private static final class WarningsLogger extends AbstractInternalLogger {
        private static final long serialVersionUID = 1L;

        WarningsLogger(String name) {
            super(name);
        }

        private void print(String level, String msg, Throwable t) {
            PrintStream err = System.err;
            synchronized (err) {
                err.println("netty " + level + " " + name() + ": " + msg);
                if (t != null) t.printStackTrace(err);
            }
        }

        @Override public boolean isTraceEnabled() { return false; }
        @Override public void trace(String msg) { }
        @Override public void trace(String format, Object arg) { }
        @Override public void trace(String format, Object argA, Object argB) { }
        @Override public void trace(String format, Object... arguments) { }
        @Override public void trace(String msg, Throwable t) { }

        @Override public boolean isDebugEnabled() { return false; }
        @Override public void debug(String msg) { }
        @Override public void debug(String format, Object arg) { }
        @Override public void debug(String format, Object argA, Object argB) { }
        @Override public void debug(String format, Object... arguments) { }
        @Override public void debug(String msg, Throwable t) { }

        @Override public boolean isInfoEnabled() { return false; }
        @Override public void info(String msg) { }
        @Override public void info(String format, Object arg) { }
        @Override public void info(String format, Object argA, Object argB) { }
        @Override public void info(String format, Object... arguments) { }
        @Override public void info(String msg, Throwable t) { }

        @Override public boolean isWarnEnabled() { return true; }
        @Override public void warn(String msg) { print("WARN", msg, null); }
        @Override public void warn(String format, Object arg) { warn(format, new Object[] {arg}); }
        @Override public void warn(String format, Object argA, Object argB) { warn(format, new Object[] {argA, argB}); }
        @Override public void warn(String format, Object... arguments) { print("WARN", format(format, arguments), trailing(arguments)); }
        @Override public void warn(String msg, Throwable t) { print("WARN", msg, t); }

        @Override public boolean isErrorEnabled() { return true; }
        @Override public void error(String msg) { print("ERROR", msg, null); }
        @Override public void error(String format, Object arg) { error(format, new Object[] {arg}); }
        @Override public void error(String format, Object argA, Object argB) { error(format, new Object[] {argA, argB}); }
        @Override public void error(String format, Object... arguments) { print("ERROR", format(format, arguments), trailing(arguments)); }
        @Override public void error(String msg, Throwable t) { print("ERROR", msg, t); }
    }
}
