package org.nbdscope.app;

import org.nbdscope.app.cli.NbdscopeCommand;
import org.nbdscope.engine.nbd.client.NbdClient;
import picocli.CommandLine;

/** Entry point of both front ends: a subcommand runs the command line; no arguments opens the desktop app. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        prepareJvm();
        int rc = run(args);
        if (NbdscopeCommand.isCommandLine(args)) endCommandLine(rc);
        NbdClient.shutdown();
        System.exit(rc);
    }

    /**
     * Set by the launchers, which also start the JVM with {@code -XX:UserThreadWaitAttemptsAtExit=0}: a
     * finished command-line run then halts without stopping the NBD client's event loops first. Without
     * that JVM option the exit would wait up to 300 ms for those threads to leave their native epoll wait,
     * so without the property they are stopped first (~8 ms).
     */
    static final String QUICK_EXIT = "nbdscope.quickExit";

    private static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";

    /**
     * JVM-wide settings for both entry points, made before anything else runs. Netty's epoll transport
     * opens a NIO selector as it loads; unless this property names the provider, the JDK first looks for
     * SelectorProvider services in every jar on the class path (opening all ~25 of them, 10-20 ms of every
     * start that connects anywhere) before it takes its own. On Linux that own one is
     * {@code sun.nio.ch.EPollSelectorProvider}, so naming it changes nothing but the time.
     */
    static void prepareJvm() {
        if (System.getProperty(SELECTOR_PROVIDER) != null || !"Linux".equals(System.getProperty("os.name"))) return;
        try {
            Class.forName("sun.nio.ch.EPollSelectorProvider", false, null);
            System.setProperty(SELECTOR_PROVIDER, "sun.nio.ch.EPollSelectorProvider");
        } catch (ClassNotFoundException e) {
            // another JDK: it looks its provider up as usual
        }
    }

    /**
     * Ends a finished command-line run: stops the NBD client's event loops unless the launcher allowed the
     * quick exit ({@link #QUICK_EXIT}), flushes the standard streams and halts. The command has closed
     * everything it opened and removed its Ctrl-C hook, so this skips only {@code System.exit}'s own
     * logging, which starts {@code java.util.logging} (10-15 ms) to log nothing. The desktop app exits normally.
     */
    static void endCommandLine(int rc) {
        if (!Boolean.getBoolean(QUICK_EXIT)) NbdClient.shutdown();
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(rc);
    }

    /** Runs the command line and returns its exit code (tests call this). */
    public static int run(String... args) {
        return NbdscopeCommand.withEarlyOpen(args, () -> NbdscopeCommand.commandLine(args).execute(args));
    }
}
