package org.nbdscope.engine.report;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.nbdscope.engine.extent.ExtentMap;

/**
 * Extents as text for other tools: CSV ({@code offset,length,type,description}) and JSON in the shape of
 * {@code nbdinfo --map --json} (through {@link NbdinfoFormat}, the same code {@code nbdscope map --json} prints
 * with). Both stop at the map's end: a partial scan's unknown rest is written as one {@code unknown} row in
 * CSV and left out of the nbdinfo JSON (nbdinfo has no such type).
 */
public final class ExtentExports {
    private ExtentExports() {}

    /** The CSV header line. */
    public static final String CSV_HEADER = "offset,length,type,description\n";

    /**
     * Writes {@code map} as CSV: a header, then one line per extent. {@code type} is the status value as the
     * server sent it ({@code -1} for unknown); {@code description} is nbdinfo's word for it in {@code context}.
     */
    public static void csv(ExtentMap map, String context, Appendable out) {
        StringBuilder b = new StringBuilder(1 << 16).append(CSV_HEADER);
        int n = map.count();
        for (int i = 0; i < n; i++) {
            int st = map.status(i);
            b.append(map.start(i)).append(',').append(map.length(i)).append(',').append(st).append(',');
            csvField(b, description(context, st));
            b.append('\n');
            if (b.length() > 60_000) flush(b, out);
        }
        if (map.covered() < map.size()) {
            b.append(map.covered()).append(',').append(map.size() - map.covered()).append(",-1,unknown\n");
        }
        flush(b, out);
    }

    /** Writes the known extents of {@code map} exactly as {@code nbdinfo --map --json} would list them. */
    public static void nbdinfoJson(ExtentMap map, String context, Appendable out) {
        StringBuilder b = new StringBuilder(1 << 16).append(NbdinfoFormat.JSON_OPEN);
        int n = map.count();
        boolean first = true;
        for (int i = 0; i < n; i++) {
            int st = map.status(i);
            if (st == ExtentMap.UNKNOWN) continue;
            NbdinfoFormat.mapJson(b, first, map.start(i), map.length(i), st, NbdinfoFormat.describe(context, st));
            first = false;
            if (b.length() > 60_000) flush(b, out);
        }
        b.append(NbdinfoFormat.JSON_CLOSE);
        flush(b, out);
    }

    /**
     * What {@code text} writes ({@link #csv} or {@link #nbdinfoJson} into the writer it is given) as UTF-8
     * bytes on {@code out}, for a streaming file write; {@code out} stays open.
     */
    public static void writeUtf8(OutputStream out, java.util.function.Consumer<? super Writer> text) throws IOException {
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        try {
            text.accept(w);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        w.flush();
    }

    private static String description(String context, int st) {
        if (st == ExtentMap.UNKNOWN) return "unknown";
        String d = NbdinfoFormat.describe(context, st).text();
        return d == null ? "" : d;
    }

    /** RFC 4180: quoted when it holds a comma, quote or line break, with quotes doubled. */
    static void csvField(StringBuilder b, String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            b.append(s);
            return;
        }
        b.append('"').append(s.replace("\"", "\"\"")).append('"');
    }

    private static void flush(StringBuilder b, Appendable out) {
        try {
            out.append(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        b.setLength(0);
    }
}
