package org.nbdscope.app.gui.model;

import java.util.Locale;

/** Byte counts, rates and durations as people read them, and offsets as people type them. */
public final class Units {
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private Units() {}

    /** {@code 1 TiB}, {@code 412.5 GiB}, {@code 512 B}: binary units, at most one decimal, exact when whole. */
    public static String bytes(long n) {
        if (n < 0) return "-" + bytes(-n);
        if (n < 1024) return n + " B";
        int u = (63 - Long.numberOfLeadingZeros(n)) / 10;
        double v = (double) n / (1L << (10 * u));
        if (n % (1L << (10 * u)) == 0) return (n >> (10 * u)) + " " + BINARY[u];
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, BINARY[u]);
    }

    /** {@code 1,099,511,627,776} */
    public static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Bytes per second in binary units, e.g. {@code 35.2 GiB/s}. */
    public static String rate(double bytesPerSecond) {
        if (!(bytesPerSecond > 0) || Double.isInfinite(bytesPerSecond)) return "–";
        return bytes((long) Math.min(bytesPerSecond, Long.MAX_VALUE)) + "/s";
    }

    /** {@code 0:01.2}, {@code 12:03.0}, {@code 1:02:03} */
    public static String elapsed(long nanos) {
        long tenths = Math.max(0, nanos) / 100_000_000L;
        long s = tenths / 10, m = s / 60, h = m / 60;
        if (h > 0) return String.format(Locale.ROOT, "%d:%02d:%02d", h, m % 60, s % 60);
        return String.format(Locale.ROOT, "%d:%02d.%d", m, s % 60, tenths % 10);
    }

    /** A share in [0, 1] as a percentage with one decimal below 10 %. */
    public static String percent(double share) {
        double p = share * 100;
        if (p == 0) return "0 %";
        if (p < 0.1) return "<0.1 %";
        if (p > 99.9 && p < 100) return ">99.9 %";
        return String.format(Locale.ROOT, p < 10 ? "%.1f %%" : "%.0f %%", p);
    }

    /**
     * Parses an offset as typed: {@code 4096}, {@code 0x1000}, {@code 1G}, {@code 1.5TiB}, {@code 512 MiB},
     * {@code 1,048,576}. Units are binary (K = 1024).
     *
     * @throws IllegalArgumentException with a message naming what is wrong
     */
    public static long parseOffset(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("type an offset, e.g. 4096, 0x1000 or 1.5G");
        String t = text.strip().replace(",", "").replace("_", "");
        try {
            if (t.startsWith("0x") || t.startsWith("0X")) return Long.parseUnsignedLong(t.substring(2), 16);
            int i = 0;
            while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) i++;
            if (i == 0) throw new IllegalArgumentException("\"" + text.strip() + "\" does not start with a number");
            String num = t.substring(0, i);
            String unit = t.substring(i).strip().toUpperCase(Locale.ROOT);
            int shift = switch (unit) {
                case "", "B" -> 0;
                case "K", "KB", "KIB" -> 10;
                case "M", "MB", "MIB" -> 20;
                case "G", "GB", "GIB" -> 30;
                case "T", "TB", "TIB" -> 40;
                case "P", "PB", "PIB" -> 50;
                case "E", "EB", "EIB" -> 60;
                default -> throw new IllegalArgumentException("unknown unit \"" + t.substring(i).strip() + "\" (use K, M, G, T, P or E)");
            };
            if (num.contains(".")) {
                double v = Double.parseDouble(num) * Math.pow(2, shift);
                if (v >= 0x1p63) throw new IllegalArgumentException("\"" + text.strip() + "\" is too large");
                return (long) v;
            }
            long v = Long.parseLong(num);
            if (shift > 0 && v > (Long.MAX_VALUE >> shift)) throw new IllegalArgumentException("\"" + text.strip() + "\" is too large");
            return v << shift;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("\"" + text.strip() + "\" is not a number");
        }
    }

    private static final java.time.format.DateTimeFormatter STAMP =
        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", java.util.Locale.ROOT);

    /** {@code 2026-11-23 21:04:17 UTC} in the local time zone, or {@code an unknown time}. */
    public static String timestamp(java.time.Instant t) {
        return t == null ? "an unknown time" : STAMP.format(t.atZone(java.time.ZoneId.systemDefault()));
    }
}
