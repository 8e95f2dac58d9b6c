package org.nbdscope.app.cli;

import java.util.List;

import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.client.ExportDetails;
import org.nbdscope.engine.nbd.client.ExportListing;
import org.nbdscope.engine.nbd.client.HeaderMode;
import org.nbdscope.engine.proto.TransmissionFlags;
import org.nbdscope.engine.report.NbdinfoFormat;

/**
 * The {@code list} report in {@code nbdinfo --list}'s shape: a protocol line, then per export its name,
 * description, size, URI, meta contexts, {@code is_*}/{@code can_*} flags and block sizes. nbdscope adds
 * the zero flag and, where the size did not come from {@code NBD_OPT_INFO} as it is, a {@code size-note}.
 * Exports the server would not describe are left out here and reported on standard error.
 */
final class ListFormat {
    private ListFormat() {}

    static String text(NbdUri server, ExportListing l) {
        StringBuilder b = new StringBuilder();
        b.append("protocol: ").append(l.protocol()).append(l.tls() ? " with TLS" : " without TLS")
            .append(", using ").append(InfoFormat.packets(l.headerMode())).append('\n');
        for (ExportDetails d : l.exports()) {
            if (!d.ok()) continue;
            b.append("export=");
            NbdinfoFormat.jsonString(b, d.displayName());
            b.append(":\n");
            if (!d.description().isEmpty()) row(b, "description", d.description());
            String human = NbdinfoFormat.humanSize(d.size());
            row(b, "export-size", d.size() + (human.equals(Long.toString(d.size())) ? "" : " (" + human + ")"));
            if (d.sizeNote() != null) row(b, "size-note", d.sizeNote());
            row(b, "uri", server.withExportName(d.name()).toString());
            if (d.contextsListed()) {
                b.append("\tcontexts:\n");
                for (String c : d.contexts()) b.append("\t\t").append(c).append('\n');
            }
            for (Flag f : flags(d, l.headerMode())) row(b, f.key(), String.valueOf(f.value()));
            if (d.blockSizeSent()) {
                row(b, "block_size_minimum", Long.toString(d.minimumBlockSize()));
                row(b, "block_size_preferred", Long.toString(d.preferredBlockSize()));
                row(b, "block_size_maximum", Long.toString(d.maximumPayload()));
            }
            row(b, "zero flag", InfoFormat.zeroFlag(d.initState()));
        }
        return b.toString();
    }

    static String json(NbdUri server, ExportListing l) {
        StringBuilder b = new StringBuilder("{\n");
        b.append("\"protocol\": ");
        NbdinfoFormat.jsonString(b, l.protocol());
        b.append(",\n\"TLS\": ").append(l.tls()).append(",\n");
        b.append("\"structured\": ").append(l.headerMode() != HeaderMode.SIMPLE).append(",\n");
        b.append("\"header-mode\": \"").append(l.headerMode().name().toLowerCase(java.util.Locale.ROOT)).append("\",\n");
        List<ExportDetails> ok = l.exports().stream().filter(ExportDetails::ok).toList();
        if (ok.isEmpty()) return b.append("\"exports\": []\n}\n").toString();
        b.append("\"exports\": [\n");
        for (int i = 0; i < ok.size(); i++) {
            ExportDetails d = ok.get(i);
            b.append("\t{\n");
            str(b, "export-name", d.displayName());
            if (!d.description().isEmpty()) str(b, "description", d.description());
            str(b, "uri", server.withExportName(d.name()).toString());
            if (d.contextsListed()) {
                b.append("\t\"contexts\": [\n");
                for (int c = 0; c < d.contexts().size(); c++) {
                    b.append("\t\t");
                    NbdinfoFormat.jsonString(b, d.contexts().get(c));
                    b.append(c + 1 < d.contexts().size() ? ",\n" : "\n");
                }
                b.append("\t],\n");
            }
            for (Flag f : flags(d, l.headerMode())) b.append("\t\"").append(f.key()).append("\": ").append(f.value()).append(",\n");
            if (d.blockSizeSent()) {
                b.append("\t\"block_size_minimum\": ").append(d.minimumBlockSize()).append(",\n");
                b.append("\t\"block_size_preferred\": ").append(d.preferredBlockSize()).append(",\n");
                b.append("\t\"block_size_maximum\": ").append(d.maximumPayload()).append(",\n");
            }
            if (d.initState() == null) {
                b.append("\t\"init-state\": null,\n");
            } else {
                int s = d.initState() & 0xffff;
                b.append("\t\"init-state\": { \"flags\": ").append(s).append(", \"sparse\": ")
                    .append((s & org.nbdscope.engine.proto.NbdInfo.INIT_SPARSE) != 0).append(", \"zero\": ")
                    .append((s & org.nbdscope.engine.proto.NbdInfo.INIT_ZERO) != 0).append(" },\n");
            }
            if (d.sizeNote() != null) str(b, "size-note", d.sizeNote());
            b.append("\t\"export-size\": ").append(d.size()).append(",\n");
            b.append("\t\"export-size-str\": \"").append(NbdinfoFormat.humanSize(d.size())).append("\"\n");
            b.append(i + 1 < ok.size() ? "\t},\n" : "\t} ]\n");
        }
        return b.append("}\n").toString();
    }

    private record Flag(String key, boolean value) {}

    /** nbdinfo's flag rows, in its order. */
    private static List<Flag> flags(ExportDetails d, HeaderMode mode) {
        return List.of(
            new Flag("is_rotational", d.has(TransmissionFlags.ROTATIONAL)),
            new Flag("is_read_only", d.readOnly()),
            new Flag("can_cache", d.has(TransmissionFlags.SEND_CACHE)),
            new Flag("can_df", d.has(TransmissionFlags.SEND_DF) && mode != HeaderMode.SIMPLE),
            new Flag("can_fast_zero", d.has(TransmissionFlags.SEND_FAST_ZERO)),
            new Flag("can_flush", d.has(TransmissionFlags.SEND_FLUSH)),
            new Flag("can_fua", d.has(TransmissionFlags.SEND_FUA)),
            new Flag("can_multi_conn", d.has(TransmissionFlags.CAN_MULTI_CONN)),
            new Flag("can_trim", d.has(TransmissionFlags.SEND_TRIM)),
            new Flag("can_zero", d.has(TransmissionFlags.SEND_WRITE_ZEROES)));
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append('\t').append(name).append(": ").append(value).append('\n');
    }

    private static void str(StringBuilder b, String key, String value) {
        b.append("\t\"").append(key).append("\": ");
        NbdinfoFormat.jsonString(b, value);
        b.append(",\n");
    }
}
