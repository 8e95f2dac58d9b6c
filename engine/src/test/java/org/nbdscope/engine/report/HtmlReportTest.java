package org.nbdscope.engine.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.session.ExtentData;
import org.nbdscope.engine.session.SavedScan;
import org.nbdscope.engine.session.Session;
import org.nbdscope.engine.session.SessionFiles;
import org.nbdscope.engine.session.SessionTarget;
import org.nbdscope.engine.session.TargetInfo;
import org.nbdscope.engine.session.TargetRef;
import org.nbdscope.engine.zero.Cost;

class HtmlReportTest {

    static SavedScan scan(ExtentMap m, Instant at) {
        return new SavedScan(at, ScanResult.Outcome.COMPLETE, null, BlockStatusFlags.BASE_ALLOCATION, Cost.NONE, ExtentData.of(m), Map.of());
    }

    static Session twoScans() {
        ExtentMap a = new ExtentMap(1 << 30), b = new ExtentMap(1 << 30);
        a.append(0, 1 << 30, BlockStatusFlags.STATE_HOLE | BlockStatusFlags.STATE_ZERO);
        b.append(0, 1 << 20, 0);
        b.append(1 << 20, (1 << 30) - (1 << 20), BlockStatusFlags.STATE_HOLE | BlockStatusFlags.STATE_ZERO);
        SessionTarget t = SessionTarget.of("t1", TargetRef.of("nbd://localhost/<disk>", null),
                TargetInfo.of("nbd://localhost/<disk>", 1 << 30, false, new org.nbdscope.engine.source.SourceDetails().add("Export", "Description", "<b>bold</b>")))
            .withScan(scan(a, Instant.parse("2026-11-01T00:00:00Z")))
            .withScan(scan(b, Instant.parse("2026-11-02T00:00:00Z")))
            .withNotes("<script>alert(1)</script>");
        return Session.create("0.1.0").withTarget(t);
    }

    @Test
    void reportIsSelfContainedEscapedAndShowsTheDiff() throws Exception {
        String html = HtmlReport.render(twoScans(), HtmlReport.Options.defaults());
        assertThat(html).startsWith("<!DOCTYPE html>").contains("</html>");
        assertThat(html).doesNotContain("<script").contains("&lt;script&gt;alert(1)&lt;/script&gt;");
        assertThat(html).contains("nbd://localhost/&lt;disk&gt;").contains("&lt;b&gt;bold&lt;/b&gt;");
        // nothing loaded from elsewhere: no src or href but data: URIs
        assertThat(Pattern.compile("(src|href)=\"(?!data:)").matcher(html).find()).isFalse();
        assertThat(html).doesNotContain("url(").doesNotContain("@import");
        assertThat(html).contains("Changes between the last two scans").contains("hole -&gt; data").contains("1 MiB (1048576)");
        PngReader png = ExportsTest.embedded(html);
        assertThat(png.width()).isEqualTo(800);
        assertThat(png.pixel(0, 0)).as("first cell: changed, outlined").isEqualTo(HeatMapColors.light().changed());
        assertThat(png.pixel(8 * 5 + 3, 3)).as("a later cell: hole").isEqualTo(HeatMapColors.light().hole());
    }

    @Test
    void everySavedResultAppearsWithItsFigures() throws Exception {
        Session s = SessionFiles.parse(SessionFiles.toBytes(org.nbdscope.engine.session.SessionTestAccess.full()), "s");
        String html = HtmlReport.render(s, HtmlReport.Options.defaults());
        assertThat(html).contains("Zero probe").contains("BLOCK_STATUS_64").contains("data at 4096");
        assertThat(html).contains("Make-zero,").contains("fast zero").contains("1 request covered 1 GiB");
        assertThat(html).contains("Make-zero plan").contains("if NBD_ENOTSUP: ZERO_EXTENTS").contains("at most 7");
        assertThat(html).contains("Winner: <strong>make-zero</strong>").contains("<svg").contains("round trips");
        assertThat(html).contains("looks sparse\nsecond line: ünïcödé");
        String text = TextReport.render(s, "s.nbdscope");
        assertThat(text).contains("target t1: nbd://localhost/disk (1 GiB, extended headers, no TLS)")
            .contains("scan 2").contains("cancelled").contains("changes from scan 1 to scan 2").contains("compare").contains("winner make-zero");
    }
}
