package org.nbdscope.engine.session;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.nbdscope.engine.extent.ExtentDiff;
import org.nbdscope.engine.report.ExtentExports;
import org.nbdscope.engine.report.HtmlReport;
import org.nbdscope.engine.report.TextReport;

/**
 * Arbitrary bytes loaded as a session file: the only failure allowed is a {@link SessionFormatException}. A
 * session that loads must also render as text and HTML, diff and export without any exception: whatever
 * the loader accepts, the app and the reports can show. Out-of-memory, any other exception, or a hang is a
 * finding. A normal build runs the committed seeds (src/test/resources/.../SessionFuzzTestInputs/load: a full
 * session, a minimal one, a truncated one, a newer one, the schema-0 file). To fuzz:
 * {@code JAZZER_FUZZ=1 ./build -pl engine test -Dtest=SessionFuzzTest -Djazzer.hooks=true}.
 */
class SessionFuzzTest {
    static final int MAX_INPUT = 256 << 10;

    @FuzzTest(maxDuration = "60s")
    void load(byte[] input) {
        if (input.length > MAX_INPUT) return;
        Session s;
        try {
            s = SessionFiles.parse(input, "fuzz.nbdscope");
        } catch (SessionFormatException expected) {
            if (expected.getMessage() == null || !expected.getMessage().startsWith("fuzz.nbdscope: ")) {
                throw new AssertionError("message does not name the file: " + expected.getMessage());
            }
            return;
        }
        TextReport.render(s, "fuzz.nbdscope");
        HtmlReport.render(s, new HtmlReport.Options(64, 32, null, 10));
        StringBuilder sink = new StringBuilder();
        for (SessionTarget t : s.targets()) {
            SavedScan last = t.latestScan(), prev = t.previousScan();
            if (last != null && last.map().count() <= 10_000) {
                ExtentExports.csv(last.map(), last.context(), sink);
                ExtentExports.nbdinfoJson(last.map(), last.context(), sink);
                sink.setLength(0);
            }
            if (prev != null && prev.map().size() == last.map().size()) ExtentDiff.of(prev.map(), last.map());
        }
        SessionFiles.toBytes(s);
    }
}
