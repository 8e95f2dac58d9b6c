package org.nbdscope.engine.posix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few Linux calls the JDK does not expose, through the foreign-function API: {@code open},
 * {@code close}, {@code pread}, {@code pwrite}, {@code lseek} with {@code SEEK_DATA}/{@code SEEK_HOLE},
 * {@code fallocate} (punch hole, zero range), {@code fsync}, and {@code ioctl(BLKGETSIZE64)}.
 * Every failure becomes an {@link IOException} naming the call and the errno text.
 */
public final class Posix {
    private Posix() {}

    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;
    public static final int SEEK_SET = 0;
    public static final int SEEK_END = 2;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;
    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    public static final int FALLOC_FL_ZERO_RANGE = 0x10;
    public static final int ENXIO = 6;
    public static final int EINVAL = 22;
    public static final int ENOTTY = 25;
    public static final int EOPNOTSUPP = 95;
    public static final int EINTR = 4;
    public static final int EAGAIN = 11;
    private static final long BLKGETSIZE64 = 0x80081272L;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayoutPath.ERRNO);
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle OPEN = handle("open", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), true);
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), false);
    private static final MethodHandle PREAD = handle("pread", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), false);
    private static final MethodHandle PWRITE = handle("pwrite", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), false);
    private static final MethodHandle LSEEK = handle("lseek", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT), false);
    private static final MethodHandle FALLOCATE = handle("fallocate", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG), false);
    private static final MethodHandle FSYNC = handle("fsync", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), false);
    private static final MethodHandle IOCTL = handle("ioctl", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS), true);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private static final class MemoryLayoutPath {
        static final java.lang.foreign.MemoryLayout.PathElement ERRNO = java.lang.foreign.MemoryLayout.PathElement.groupElement("errno");
    }

    private static MethodHandle handle(String name, FunctionDescriptor fd, boolean variadicLast) {
        MemorySegment sym = LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return variadicLast
            ? LINKER.downcallHandle(sym, fd, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(fd.argumentLayouts().size() - 1))
            : LINKER.downcallHandle(sym, fd, CAPTURE_ERRNO);
    }

    /** errno text, e.g. "No such file or directory". */
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    /** An I/O failure with the errno kept, so callers can tell ENXIO or EOPNOTSUPP apart. */
    public static final class ErrnoException extends IOException {
        private final int errno;

        ErrnoException(String call, int errno) {
            super(call + ": " + strerror(errno) + " (errno " + errno + ")");
            this.errno = errno;
        }

        public int errno() { return errno; }
    }

    private static int errno(MemorySegment state) { return (int) ERRNO.get(state, 0L); }

    public static int open(String path, int flags) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int fd = (int) OPEN.invokeExact(st, a.allocateFrom(path), flags | O_CLOEXEC, 0);
            if (fd < 0) throw new ErrnoException("open " + path, errno(st));
            return fd;
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("open " + path + ": " + t, t);
        }
    }

    public static void close(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int r = (int) CLOSE.invokeExact(st, fd);
            if (r < 0) throw new ErrnoException("close", errno(st));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("close: " + t, t);
        }
    }

    /** Reads up to {@code buf.byteSize()} bytes at {@code offset}; returns the count (0 at end of file). */
    public static long pread(int fd, MemorySegment buf, long offset) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            while (true) {
                long r = (long) PREAD.invokeExact(st, fd, buf, buf.byteSize(), offset);
                if (r >= 0) return r;
                int e = errno(st);
                if (e != EINTR && e != EAGAIN) throw new ErrnoException("pread at " + offset, e);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("pread: " + t, t);
        }
    }

    /** Reads exactly {@code buf.byteSize()} bytes at {@code offset}, failing on a short file. */
    public static void preadFully(int fd, MemorySegment buf, long offset) throws IOException {
        long done = 0;
        while (done < buf.byteSize()) {
            long r = pread(fd, buf.asSlice(done), offset + done);
            if (r == 0) throw new IOException("short read: end of file at " + (offset + done) + ", wanted " + (buf.byteSize() - done) + " more bytes");
            done += r;
        }
    }

    /** Writes all of {@code buf} at {@code offset}. */
    public static void pwriteFully(int fd, MemorySegment buf, long offset) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            long done = 0;
            while (done < buf.byteSize()) {
                MemorySegment s = buf.asSlice(done);
                long r = (long) PWRITE.invokeExact(st, fd, s, s.byteSize(), offset + done);
                if (r < 0) {
                    int e = errno(st);
                    if (e == EINTR || e == EAGAIN) continue;
                    throw new ErrnoException("pwrite at " + (offset + done), e);
                }
                done += r;
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("pwrite: " + t, t);
        }
    }

    /**
     * {@code lseek(fd, offset, whence)}. For {@code SEEK_DATA}/{@code SEEK_HOLE} past the last data
     * returns -1 (ENXIO) instead of throwing.
     */
    public static long lseek(int fd, long offset, int whence) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            long r = (long) LSEEK.invokeExact(st, fd, offset, whence);
            if (r >= 0) return r;
            int e = errno(st);
            if (e == ENXIO && (whence == SEEK_DATA || whence == SEEK_HOLE)) return -1;
            throw new ErrnoException("lseek " + offset + " whence " + whence, e);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("lseek: " + t, t);
        }
    }

    /** {@code fallocate}; throws {@link ErrnoException} (EOPNOTSUPP when the file system cannot). */
    public static void fallocate(int fd, int mode, long offset, long length) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int r = (int) FALLOCATE.invokeExact(st, fd, mode, offset, length);
            if (r < 0) throw new ErrnoException("fallocate mode " + mode + " at " + offset + " length " + length, errno(st));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("fallocate: " + t, t);
        }
    }

    public static void fsync(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            int r = (int) FSYNC.invokeExact(st, fd);
            if (r < 0) throw new ErrnoException("fsync", errno(st));
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("fsync: " + t, t);
        }
    }

    /** Size of a block device ({@code BLKGETSIZE64}), or -1 when {@code fd} is not one. */
    public static long blockDeviceSize(int fd) throws IOException {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(CAPTURE);
            MemorySegment out = a.allocate(ValueLayout.JAVA_LONG);
            int r = (int) IOCTL.invokeExact(st, fd, BLKGETSIZE64, out);
            if (r < 0) {
                int e = errno(st);
                if (e == ENOTTY || e == EINVAL) return -1;
                throw new ErrnoException("ioctl BLKGETSIZE64", e);
            }
            return out.get(ValueLayout.JAVA_LONG, 0);
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("ioctl: " + t, t);
        }
    }

    /** File size from {@code lseek(SEEK_END)}: works for regular files and block devices. */
    public static long size(int fd) throws IOException {
        return lseek(fd, 0, SEEK_END);
    }
}
