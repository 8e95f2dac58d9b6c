package org.nbdscope.engine.nbd.server.backend;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Sizes as users write them: {@code 1T}, {@code 64G}, {@code 512M}, {@code 4k}, {@code 1GiB}, {@code 1048576}. */
public final class ByteSize {
    private ByteSize() {}

    /** The largest size accepted: 8 EiB less 4 KiB, so that every offset and length fits a signed long. */
    public static final long MAX = Long.MAX_VALUE & ~4095L;

    private static final String UNITS = "KMGTPE";
    private static final Pattern SIZE = Pattern.compile("(\\d{1,30})\\s*(?:([KMGTPE])(?:i?B)?|B)?", Pattern.CASE_INSENSITIVE);

    /**
     * Parses a size with an optional binary unit (K, M, G, T, P, E, optionally followed by "iB" or "B").
     *
     * @throws IllegalArgumentException naming the text when it is not a size or is out of range
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text.strip());
        if (!m.matches()) throw new IllegalArgumentException("'" + text + "' is not a size (examples: 1T, 64G, 512M, 1048576)");
        int shift = m.group(2) == null ? 0 : 10 * (UNITS.indexOf(m.group(2).toUpperCase(Locale.ROOT)) + 1);
        BigInteger v = new BigInteger(m.group(1)).shiftLeft(shift);
        if (v.signum() <= 0) throw new IllegalArgumentException("size '" + text + "' must be greater than zero");
        if (v.compareTo(BigInteger.valueOf(MAX)) > 0) {
            throw new IllegalArgumentException("size '" + text + "' is too large: the largest is " + MAX + " bytes (8 EiB less 4 KiB)");
        }
        return v.longValue();
    }

    /** Human form with a binary unit: "1 TiB", "512 MiB", "1.5 GiB"; plain bytes below 1 KiB. */
    public static String format(long bytes) {
        if (bytes < 1024) return bytes + (bytes == 1 ? " byte" : " bytes");
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return (v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v)) + " " + units[u];
    }
}
