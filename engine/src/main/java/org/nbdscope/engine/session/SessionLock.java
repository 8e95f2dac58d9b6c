package org.nbdscope.engine.session;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises read-modify-write updates of one session file across processes: two {@code nbdscope map
 * --save same.nbdscope} runs at once (a script mapping several servers into one session) both keep their
 * scans, instead of the later write dropping the earlier one's. The lock is an exclusive POSIX record lock
 * on a hidden sibling file, {@code .NAME.lock}, which stays (removing it would let a third process lock a
 * new file while a second still holds the old one). Within one JVM a plain lock per file comes first, as
 * the file lock is held per process. When the lock file cannot be made (a read-only folder) or locked (a
 * file system without record locks), the body runs unlocked: the save itself then says why it cannot
 * write, or writes as it did before there was a lock.
 */
public final class SessionLock {
    private SessionLock() {}

    /** The work done under the lock. */
    @FunctionalInterface
    public interface Body<T, E extends Exception> {
        T run() throws E, IOException;
    }

    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    /** The lock file of {@code sessionFile}: {@code .NAME.lock} in the same folder. */
    public static Path lockFileOf(Path sessionFile) {
        Path abs = sessionFile.toAbsolutePath().normalize();
        return abs.resolveSibling("." + abs.getFileName() + ".lock");
    }

    /** Runs {@code body} holding the lock of {@code sessionFile}, waiting for another holder to finish first. */
    public static <T, E extends Exception> T holding(Path sessionFile, Body<T, E> body) throws E, IOException {
        Path lockFile = lockFileOf(sessionFile);
        ReentrantLock mine = IN_PROCESS.computeIfAbsent(lockFile, k -> new ReentrantLock());
        mine.lock();
        try {
            FileChannel ch;
            try {
                ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            } catch (IOException | UnsupportedOperationException e) {
                return body.run();
            }
            try (ch) {
                FileLock lock;
                try {
                    lock = ch.lock();
                } catch (IOException e) {
                    lock = null;   // a file system without record locks (NFS without lockd): saved unlocked, as before
                }
                try {
                    return body.run();
                } finally {
                    if (lock != null) lock.release();
                }
            }
        } finally {
            mine.unlock();
        }
    }
}
