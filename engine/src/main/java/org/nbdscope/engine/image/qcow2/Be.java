package org.nbdscope.engine.image.qcow2;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Big-endian field access on segments (qcow2 stores every number big-endian). */
final class Be {
    private Be() {}

    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    static long u64(MemorySegment s, long off) { return s.get(LONG, off); }

    static long u32(MemorySegment s, long off) { return Integer.toUnsignedLong(s.get(INT, off)); }

    static int u16(MemorySegment s, long off) { return Short.toUnsignedInt(s.get(SHORT, off)); }

    static int u8(MemorySegment s, long off) { return Byte.toUnsignedInt(s.get(ValueLayout.JAVA_BYTE, off)); }

    /** Bytes as text, cut at the first NUL (qemu reads these fields as C strings). */
    static String string(MemorySegment s, long off, int len) {
        byte[] b = s.asSlice(off, len).toArray(ValueLayout.JAVA_BYTE);
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** {@code 0x...} for messages about offsets and masks. */
    static String hex(long v) { return "0x" + Long.toHexString(v); }
}
