package org.nbdscope.engine.nbd.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.nbdscope.engine.extent.ExtentMap;
import org.nbdscope.engine.scan.ExtentScanner;
import org.nbdscope.engine.scan.ScanOptions;
import org.nbdscope.engine.scan.ScanResult;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.testing.Peer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Maps an export with our client and with {@code nbdinfo --map --json}, as comparable extent lists. */
final class MapCheck {
    private MapCheck() {}

    /** One extent: offset, length, type. */
    record Extent(long offset, long length, long type) {}

    /** {@code nbdinfo --map --json URI}, adjacent equal types merged. */
    static List<Extent> nbdinfo(String uri) throws Exception {
        String json = Peer.run(Duration.ofSeconds(120), "nbdinfo", "--map", "--json", uri);
        List<Extent> out = new ArrayList<>();
        for (JsonNode n : JsonMapper.builder().build().readTree(json)) {
            add(out, new Extent(n.get("offset").asLong(), n.get("length").asLong(), n.get("type").asLong()));
        }
        return out;
    }

    /** Our scan of the whole export in {@code base:allocation}. */
    static List<Extent> ours(BlockSource source) {
        ScanResult r = ExtentScanner.scan(source, ScanOptions.defaults());
        if (!r.complete()) throw new AssertionError("scan " + r.outcome() + ": " + r.error());
        ExtentMap m = r.map();
        List<Extent> out = new ArrayList<>();
        for (int i = 0; i < m.count(); i++) add(out, new Extent(m.start(i), m.length(i), m.status(i)));
        return out;
    }

    private static void add(List<Extent> out, Extent e) {
        if (!out.isEmpty()) {
            Extent last = out.getLast();
            if (last.type() == e.type() && last.offset() + last.length() == e.offset()) {
                out.set(out.size() - 1, new Extent(last.offset(), last.length() + e.length(), last.type()));
                return;
            }
        }
        out.add(e);
    }
}
