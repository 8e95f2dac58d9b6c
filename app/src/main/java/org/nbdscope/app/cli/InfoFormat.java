package org.nbdscope.app.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.client.HeaderMode;
import org.nbdscope.engine.nbd.client.Negotiated;
import org.nbdscope.engine.proto.NbdInfo;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.TransmissionFlags;
import org.nbdscope.engine.report.NbdinfoFormat;

/**
 * The {@code info} report, in nbdinfo's style: a protocol line, then tab-indented {@code name: value}
 * rows per export; the JSON form keeps nbdinfo's key names ({@code export-name}, {@code export-size},
 * {@code is_read_only}, {@code can_*}, {@code block_size_*}) and adds nbdscope's.
 */
final class InfoFormat {
    private InfoFormat() {}

    /** "extended headers", "structured packets" or "simple packets", after nbdinfo's protocol line. */
    static String packets(HeaderMode m) {
        return switch (m) {
            case EXTENDED -> "extended headers";
            case STRUCTURED -> "structured packets";
            case SIMPLE -> "simple packets";
        };
    }

    /** The zero flag as sent ({@code 0x0003: sparse, zero}), {@code 0x0000: neither}, or {@code not sent}. */
    static String zeroFlag(Integer initState) {
        if (initState == null) return "not sent";
        List<String> words = new ArrayList<>();
        if ((initState & NbdInfo.INIT_SPARSE) != 0) words.add("sparse");
        if ((initState & NbdInfo.INIT_ZERO) != 0) words.add("zero");
        int other = initState & ~(NbdInfo.INIT_SPARSE | NbdInfo.INIT_ZERO) & 0xffff;
        if (other != 0) words.add(String.format("reserved bits 0x%04x", other));
        return String.format("0x%04x: %s", initState & 0xffff, words.isEmpty() ? "neither sparse nor zero" : String.join(", ", words));
    }

    static String flags(int flags) {
        List<String> w = TransmissionFlags.words(flags);
        return String.format("0x%04x: %s", flags & 0xffff, w.isEmpty() ? "none" : String.join(", ", w));
    }

    static String text(NbdUri uri, Negotiated n) {
        StringBuilder b = new StringBuilder();
        b.append("protocol: ").append(n.protocol()).append(n.tls() ? " with TLS" : " without TLS")
            .append(", using ").append(packets(n.headerMode())).append('\n');
        b.append("export=");
        NbdinfoFormat.jsonString(b, n.exportName());
        b.append(":\n");
        if (n.description() != null && !n.description().isEmpty()) row(b, "description", n.description());
        String human = NbdinfoFormat.humanSize(n.size());
        row(b, "export-size", Long.toUnsignedString(n.size()) + (human.equals(Long.toUnsignedString(n.size())) ? "" : " (" + human + ")"));
        row(b, "uri", uri.toString());
        row(b, "header mode", switch (n.headerMode()) {
            case EXTENDED -> "extended (64-bit lengths, BLOCK_STATUS_EXT)";
            case STRUCTURED -> "structured replies (32-bit lengths)";
            case SIMPLE -> "simple replies (no block status)";
        });
        row(b, "TLS", n.tls() ? "yes" : "no");
        row(b, "transmission flags", flags(n.transmissionFlags()));
        row(b, "is_read_only", String.valueOf(n.readOnly()));
        if (n.blockSizeSent()) {
            row(b, "block_size_minimum", Long.toString(n.minimumBlockSize()));
            row(b, "block_size_preferred", Long.toString(n.preferredBlockSize()));
            row(b, "block_size_maximum", Long.toString(n.maximumPayload()));
        } else {
            row(b, "block sizes", "not sent");
        }
        if (!n.availableContexts().isEmpty()) {
            b.append("\tcontexts:\n");
            for (String c : n.availableContexts()) b.append("\t\t").append(c).append('\n');
        }
        if (n.metaContexts().isEmpty()) {
            row(b, "meta contexts", "none");
        } else {
            b.append("\tmeta contexts:\n");
            for (Map.Entry<String, Integer> e : n.metaContexts().entrySet()) {
                b.append("\t\t").append(e.getKey()).append(" (id ").append(Integer.toUnsignedString(e.getValue())).append(")\n");
            }
        }
        row(b, "zero flag", zeroFlag(n.initState()));
        row(b, "handshake", n.finalOption() == NbdOption.EXPORT_NAME ? "EXPORT_NAME (server without GO)" : n.finalOption().name());
        return b.toString();
    }

    private static void row(StringBuilder b, String name, String value) {
        b.append('\t').append(name).append(": ").append(value).append('\n');
    }

    static String json(NbdUri uri, Negotiated n) {
        StringBuilder b = new StringBuilder("{\n");
        b.append("\"protocol\": ");
        NbdinfoFormat.jsonString(b, n.protocol());
        b.append(",\n\"TLS\": ").append(n.tls()).append(",\n");
        b.append("\"structured\": ").append(n.headerMode() != HeaderMode.SIMPLE).append(",\n");
        b.append("\"header-mode\": \"").append(n.headerMode().name().toLowerCase(java.util.Locale.ROOT)).append("\",\n");
        b.append("\"exports\": [\n\t{\n");
        str(b, "export-name", n.exportName());
        if (n.description() != null && !n.description().isEmpty()) str(b, "description", n.description());
        str(b, "uri", uri.toString());
        if (!n.availableContexts().isEmpty()) {
            b.append("\t\"contexts\": [\n");
            for (int i = 0; i < n.availableContexts().size(); i++) {
                b.append("\t\t");
                NbdinfoFormat.jsonString(b, n.availableContexts().get(i));
                b.append(i + 1 < n.availableContexts().size() ? ",\n" : "\n");
            }
            b.append("\t],\n");
        }
        b.append("\t\"meta-contexts\": {");
        boolean first = true;
        for (Map.Entry<String, Integer> e : n.metaContexts().entrySet()) {
            b.append(first ? " " : ", ");
            NbdinfoFormat.jsonString(b, e.getKey());
            b.append(": ").append(Integer.toUnsignedString(e.getValue()));
            first = false;
        }
        b.append(first ? "},\n" : " },\n");
        b.append("\t\"transmission-flags\": ").append(n.transmissionFlags() & 0xffff).append(",\n");
        b.append("\t\"transmission-flag-names\": [");
        List<String> words = TransmissionFlags.words(n.transmissionFlags());
        for (int i = 0; i < words.size(); i++) {
            if (i > 0) b.append(", ");
            NbdinfoFormat.jsonString(b, words.get(i));
        }
        b.append("],\n");
        bool(b, "is_rotational", n.has(TransmissionFlags.ROTATIONAL));
        bool(b, "is_read_only", n.readOnly());
        bool(b, "can_cache", n.has(TransmissionFlags.SEND_CACHE));
        bool(b, "can_df", n.has(TransmissionFlags.SEND_DF) && n.headerMode() != HeaderMode.SIMPLE);
        bool(b, "can_fast_zero", n.has(TransmissionFlags.SEND_FAST_ZERO));
        bool(b, "can_flush", n.has(TransmissionFlags.SEND_FLUSH));
        bool(b, "can_fua", n.has(TransmissionFlags.SEND_FUA));
        bool(b, "can_multi_conn", n.has(TransmissionFlags.CAN_MULTI_CONN));
        bool(b, "can_trim", n.has(TransmissionFlags.SEND_TRIM));
        bool(b, "can_zero", n.has(TransmissionFlags.SEND_WRITE_ZEROES));
        if (n.blockSizeSent()) {
            b.append("\t\"block_size_minimum\": ").append(n.minimumBlockSize()).append(",\n");
            b.append("\t\"block_size_preferred\": ").append(n.preferredBlockSize()).append(",\n");
            b.append("\t\"block_size_maximum\": ").append(n.maximumPayload()).append(",\n");
        }
        if (n.initState() == null) {
            b.append("\t\"init-state\": null,\n");
        } else {
            b.append("\t\"init-state\": { \"flags\": ").append(n.initState() & 0xffff)
                .append(", \"sparse\": ").append(n.initSparse()).append(", \"zero\": ").append(n.initZero()).append(" },\n");
        }
        str(b, "handshake", n.finalOption().name());
        b.append("\t\"export-size\": ").append(Long.toUnsignedString(n.size())).append(",\n");
        b.append("\t\"export-size-str\": \"").append(NbdinfoFormat.humanSize(n.size())).append("\"\n");
        b.append("\t} ]\n}\n");
        return b.toString();
    }

    private static void str(StringBuilder b, String key, String value) {
        b.append("\t\"").append(key).append("\": ");
        NbdinfoFormat.jsonString(b, value);
        b.append(",\n");
    }

    private static void bool(StringBuilder b, String key, boolean value) {
        b.append("\t\"").append(key).append("\": ").append(value).append(",\n");
    }
}
