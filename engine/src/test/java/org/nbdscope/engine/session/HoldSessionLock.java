package org.nbdscope.engine.session;

import java.nio.file.Path;

/**
 * A second process for {@link SessionLockTest}: takes the lock of a session file, says "locked", waits,
 * then adds target {@code a} to the session (read, change, write) before it lets go.
 */
public final class HoldSessionLock {
    private HoldSessionLock() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        long millis = Long.parseLong(args[1]);
        SessionLock.holding(file, () -> {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(millis);
            SessionLockTest.addTarget(file, "nbd://a/");
            return null;
        });
    }
}
