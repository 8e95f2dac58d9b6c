package org.nbdscope.engine.zero;

import org.nbdscope.engine.proto.NbdInfo;

/**
 * The zero flag as negotiated: whether the server sent {@code NBD_INFO_INIT_STATE} at all and its flag
 * bits. It describes the export at connection time only. Absent means unknown, never "not zero".
 */
public record InitState(boolean sent, int flags) {
    public static final InitState NOT_SENT = new InitState(false, 0);

    public static InitState of(Integer flags) { return flags == null ? NOT_SENT : new InitState(true, flags & 0xffff); }

    /** {@code NBD_INIT_ZERO}: the whole export reads as zero. */
    public boolean zero() { return sent && (flags & NbdInfo.INIT_ZERO) != 0; }

    /** {@code NBD_INIT_SPARSE}: the whole export is unallocated (which alone does not promise zeroes). */
    public boolean sparse() { return sent && (flags & NbdInfo.INIT_SPARSE) != 0; }

    /** "not sent", "sent: zero, sparse", "sent: no bits set". */
    public String describe() {
        if (!sent) return "not sent";
        StringBuilder sb = new StringBuilder();
        if (zero()) sb.append("zero");
        if (sparse()) sb.append(sb.isEmpty() ? "" : ", ").append("sparse");
        int other = flags & ~(NbdInfo.INIT_ZERO | NbdInfo.INIT_SPARSE);
        if (other != 0) sb.append(sb.isEmpty() ? "" : ", ").append("reserved bits 0x").append(Integer.toHexString(other));
        return "sent: " + (sb.isEmpty() ? "no bits set" : sb);
    }
}
