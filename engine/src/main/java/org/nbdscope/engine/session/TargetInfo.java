package org.nbdscope.engine.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.SourceDetails;

/**
 * What was negotiated (NBD) or parsed (image files) when the target was last opened: the details view's
 * rows, and the facts that matter most as typed fields.
 *
 * @param name       the display name (URI without secrets, or the file path)
 * @param size       bytes
 * @param readOnly   writes refused
 * @param headerMode "extended", "structured", "simple", or null for image files
 * @param tls        true when TLS was negotiated; null when not applicable (image files)
 * @param zeroFlag   the zero flag ({@code NBD_INFO_INIT_STATE}) as the details view shows it, or null
 * @param details    every row of the details view, in order
 */
public record TargetInfo(String name, long size, boolean readOnly, String headerMode, Boolean tls, String zeroFlag,
                         List<DetailRow> details) {
    public TargetInfo {
        details = details == null ? List.of() : List.copyOf(details);
        name = name == null ? null : Secrets.redactTarget(name);
    }

    /** The facts of an open source (reads its details once). */
    public static TargetInfo of(BlockSource s) {
        return of(s.name(), s.size(), s.readOnly(), s.details());
    }

    public static TargetInfo of(String name, long size, boolean readOnly, SourceDetails d) {
        List<DetailRow> rows = new ArrayList<>();
        for (SourceDetails.Row r : d.rows()) rows.add(new DetailRow(r.group(), r.name(), Secrets.redactText(r.value())));
        String header = d.get("Header mode");
        String tls = d.get("TLS");
        return new TargetInfo(name, size, readOnly, header == null ? null : header.toLowerCase(Locale.ROOT),
            tls == null ? null : tls.equals("yes"), d.get("Zero flag (NBD_INFO_INIT_STATE)"), rows);
    }

    /** The rows back as {@link SourceDetails}, for the details view of an offline tab. */
    public SourceDetails toSourceDetails() {
        SourceDetails d = new SourceDetails();
        for (DetailRow r : details) d.add(r.group(), r.name(), r.value());
        return d;
    }
}
