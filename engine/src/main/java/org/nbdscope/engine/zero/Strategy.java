package org.nbdscope.engine.zero;

/** The rungs of the make-zero ladder, in the spirit of qemu's {@code bdrv_make_zero}. */
public enum Strategy {
    /** Rung 1: the probe says the target already reads as zero; nothing is written. */
    ALREADY_ZERO("already-zero"),
    /** Rung 2: {@code WRITE_ZEROES} with {@code FAST_ZERO}: one 64-bit request, or one per 32-bit chunk. */
    FAST_ZERO("fast-zero"),
    /** Rung 3: {@code WRITE_ZEROES} without {@code FAST_ZERO}, only over extents the map shows are not zero. */
    ZERO_EXTENTS("zero-extents"),
    /** Rung 4: literal {@code WRITE}s of zero bytes over those extents; only when the user allows it. */
    LITERAL("literal"),
    /** Rung 5, raw files: {@code fallocate} punch-hole, else zero-range. */
    FALLOCATE("fallocate");

    private final String cliName;

    Strategy(String cliName) { this.cliName = cliName; }

    /** The name on the command line ({@code --strategy fast-zero}). */
    public String cliName() { return cliName; }

    /** Parses a command-line name or an enum name; null for "auto". */
    public static Strategy parse(String s) {
        if (s == null || s.equalsIgnoreCase("auto")) return null;
        for (Strategy x : values()) if (x.cliName.equalsIgnoreCase(s) || x.name().equalsIgnoreCase(s)) return x;
        throw new IllegalArgumentException("unknown strategy '" + s + "': use auto, fast-zero, zero-extents, literal or fallocate");
    }
}
