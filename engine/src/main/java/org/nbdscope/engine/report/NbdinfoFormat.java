package org.nbdscope.engine.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

import org.nbdscope.engine.proto.BlockStatusFlags;

/**
 * The output shapes of {@code nbdinfo --map} (libnbd 1.14): text lines, JSON entries and totals, with
 * the number formats of C's {@code printf} ({@code %10u}, {@code %5.1f}, {@code %g}) so scripts can swap
 * one tool for the other. Locale-independent.
 */
public final class NbdinfoFormat {
    private NbdinfoFormat() {}

    /** Terminal colours as nbdinfo uses them (SGR parameters). */
    static final String FG_BOLD_BLACK = "1;30";
    static final String FG_GREEN = "22;32";
    static final String FG_RED = "22;31";
    static final String FG_GREY = "22;90";
    static final String FG_BRIGHT_WHITE = "1;37";
    static final String BG_BLACK = "40";
    static final String BG_LIGHT_GREY = "47";
    static final String RESTORE = "\033[0m";

    /** True when standard output is an interactive terminal: nbdinfo colours its output only then. */
    public static boolean stdoutIsTerminal() {
        java.io.Console c = System.console();
        return c != null && c.isTerminal();
    }

    /** How one status value of one meta context is described and coloured; {@code text} null when unknown. */
    public record Description(String text, String fg, String bg) {
        static final Description NONE = new Description(null, null, null);
    }

    /** The description nbdinfo prints for {@code type} in {@code context}, or a NONE description. */
    public static Description describe(String context, int type) {
        if (BlockStatusFlags.BASE_ALLOCATION.equals(context)) {
            return switch (type) {
                case 0 -> new Description("data", FG_BOLD_BLACK, null);
                case 1 -> new Description("hole", null, null);
                case 2 -> new Description("zero", null, null);
                case 3 -> new Description("hole,zero", null, null);
                default -> Description.NONE;
            };
        }
        if (context.startsWith(BlockStatusFlags.QEMU_DIRTY_BITMAP_PREFIX)) {
            return switch (type) {
                case 0 -> new Description("clean", FG_GREEN, null);
                case 1 -> new Description("dirty", FG_RED, null);
                default -> Description.NONE;
            };
        }
        if (BlockStatusFlags.QEMU_ALLOCATION_DEPTH.equals(context)) {
            return switch (type) {
                case 0 -> new Description("absent", null, null);
                case 1 -> new Description("local", FG_BRIGHT_WHITE, BG_BLACK);
                default -> new Description("backing depth " + Integer.toUnsignedString(type), null, BG_LIGHT_GREY);
            };
        }
        return Description.NONE;
    }

    /** One {@code --map} text line: {@code %10u  %10u  %3u  description}, with colours when asked. */
    public static void mapLine(StringBuilder out, long offset, long length, int type, Description d, boolean colour) {
        colourOn(out, d, colour);
        padLeft(out, Long.toUnsignedString(offset), 10);
        out.append("  ");
        padLeft(out, Long.toUnsignedString(length), 10);
        out.append("  ");
        padLeft(out, Integer.toUnsignedString(type), 3);
        if (d.text() != null) out.append("  ").append(d.text());
        colourOff(out, d, colour);
        out.append('\n');
    }

    /** The start of a {@code --map --json} list. */
    public static final String JSON_OPEN = "[\n";
    /** The end of a {@code --map --json} list (also when it is empty). */
    public static final String JSON_CLOSE = "\n]\n";

    /** One {@code --map --json} entry; {@code first} false puts the separating {@code ",\n"} first. */
    public static void mapJson(StringBuilder out, boolean first, long offset, long length, int type, Description d) {
        if (!first) out.append(",\n");
        out.append("{ \"offset\": ").append(Long.toUnsignedString(offset))
            .append(", \"length\": ").append(Long.toUnsignedString(length))
            .append(", \"type\": ").append(Integer.toUnsignedString(type));
        if (d.text() != null) {
            out.append(", \"description\": ");
            jsonString(out, d.text());
        }
        out.append('}');
    }

    /** One {@code --map --totals} text line: {@code %10u %5.1f%% %3u description}. */
    public static void totalsLine(StringBuilder out, long bytes, long size, int type, Description d, boolean colour) {
        colourOn(out, d, colour);
        padLeft(out, Long.toUnsignedString(bytes), 10);
        out.append(' ');
        padLeft(out, fixed1(percent(bytes, size)), 5);
        out.append("% ");
        padLeft(out, Integer.toUnsignedString(type), 3);
        if (d.text() != null) out.append(' ').append(d.text());
        colourOff(out, d, colour);
        out.append('\n');
    }

    /** One {@code --map --totals --json} entry. */
    public static void totalsJson(StringBuilder out, boolean first, long bytes, long size, int type, Description d) {
        if (!first) out.append(",\n");
        out.append("{ \"size\": ").append(Long.toUnsignedString(bytes))
            .append(", \"percent\": ").append(general(percent(bytes, size)))
            .append(", \"type\": ").append(Integer.toUnsignedString(type));
        if (d.text() != null) {
            out.append(", \"description\": ");
            jsonString(out, d.text());
        }
        out.append(" }");
    }

    /** Percentage as nbdinfo computes it: {@code 100.0 * c / size} in double precision. */
    static double percent(long bytes, long size) {
        return 100.0 * unsignedDouble(bytes) / unsignedDouble(size);
    }

    private static double unsignedDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    /** A JSON string as nbdinfo writes it: escapes backslash, quote and control bytes as six-character {@code u00XX} escapes. */
    public static void jsonString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == '"') {
                out.append('\\').append(c);
            } else if (c < ' ') {
                out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
            } else {
                out.append(c);
            }
        }
        out.append('"');
    }

    /** nbdinfo's human size: the value in the largest of K, M, G, T, P, E that divides it exactly; "0" for 0. */
    public static String humanSize(long bytes) {
        final String[] ext = {"", "K", "M", "G", "T", "P", "E"};
        int i = 0;
        if (bytes != 0) {
            while ((bytes & 1023) == 0) {
                bytes >>>= 10;
                i++;
            }
        }
        return Long.toUnsignedString(bytes) + ext[i];
    }

    /** C's {@code %.1f}: exact binary value rounded half-even, as glibc does. */
    static String fixed1(double v) {
        return new BigDecimal(v).setScale(1, RoundingMode.HALF_EVEN).toPlainString();
    }

    /**
     * C's {@code %g} (precision 6): six significant digits of the exact binary value (rounded half-even,
     * as glibc does), fixed notation when the exponent is in [-4, 6), else {@code d.ddddde±XX}; trailing
     * zeros removed.
     */
    static String general(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0" : "0";
        BigDecimal r = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int exp = r.precision() - r.scale() - 1;
        if (exp >= -4 && exp < 6) {
            BigDecimal s = r.stripTrailingZeros();
            return s.scale() < 0 ? s.setScale(0).toPlainString() : s.toPlainString();
        }
        String digits = r.unscaledValue().abs().toString();
        StringBuilder m = new StringBuilder();
        if (r.signum() < 0) m.append('-');
        m.append(digits.charAt(0));
        String frac = digits.substring(1).replaceAll("0+$", "");
        if (!frac.isEmpty()) m.append('.').append(frac);
        m.append('e').append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a < 10) m.append('0');
        m.append(a);
        return m.toString();
    }

    private static void padLeft(StringBuilder out, String s, int width) {
        for (int i = s.length(); i < width; i++) out.append(' ');
        out.append(s);
    }

    private static void colourOn(StringBuilder out, Description d, boolean colour) {
        if (!colour) return;
        if (d.fg() != null) out.append("\033[").append(d.fg()).append('m');
        if (d.bg() != null) out.append("\033[").append(d.bg()).append('m');
    }

    private static void colourOff(StringBuilder out, Description d, boolean colour) {
        if (colour && (d.fg() != null || d.bg() != null)) out.append(RESTORE);
    }
}
