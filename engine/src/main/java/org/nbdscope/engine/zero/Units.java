package org.nbdscope.engine.zero;

import java.util.Locale;

/** Human units for messages: "1 TiB", "4.0 GiB", "512 B", "1.25 ms". */
public final class Units {
    private Units() {}

    public static String bytes(long n) {
        if (n < 1024) return n + " B";
        String[] u = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int i = -1;
        while (v >= 1024 && i < u.length - 1) {
            v /= 1024;
            i++;
        }
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f %s", v, u[i]) : String.format(Locale.ROOT, "%.1f %s", v, u[i]);
    }

    public static String millis(long nanos) {
        double ms = nanos / 1e6;
        if (ms >= 1000) return String.format(Locale.ROOT, "%.2f s", ms / 1000);
        return String.format(Locale.ROOT, ms >= 10 ? "%.0f ms" : "%.2f ms", ms);
    }
}
