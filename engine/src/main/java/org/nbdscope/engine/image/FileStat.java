package org.nbdscope.engine.image;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * {@code fstat(2)} for the one field the JDK does not expose: {@code st_blocks}, the space a file really
 * occupies (qemu uses it to tell a metadata-preallocated qcow2 from a fully written one).
 */
@SuppressWarnings("restricted")
final class FileStat {
    private FileStat() {}

    /** {@code st_blocks} sits at byte 64 of {@code struct stat} on both x86_64 and aarch64 Linux. */
    private static final long ST_BLOCKS = 64;
    private static final long STAT_SIZE = 256;
    private static final MethodHandle FSTAT = Linker.nativeLinker().defaultLookup().find("fstat")
        .map(s -> Linker.nativeLinker().downcallHandle(s,
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS)))
        .orElse(null);

    /** Bytes allocated to the file ({@code st_blocks * 512}), or -1 when the call is not available or fails. */
    static long allocatedBytes(int fd) {
        if (FSTAT == null) return -1;
        try (Arena a = Arena.ofConfined()) {
            MemorySegment st = a.allocate(STAT_SIZE, 8);
            int r = (int) FSTAT.invokeExact(fd, st);
            if (r != 0) return -1;
            return st.get(ValueLayout.JAVA_LONG, ST_BLOCKS) * 512;
        } catch (Throwable t) {
            return -1;
        }
    }
}
