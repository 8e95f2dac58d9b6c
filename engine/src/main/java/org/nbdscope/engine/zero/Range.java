package org.nbdscope.engine.zero;

import java.util.ArrayList;
import java.util.List;

import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;

/** A byte range {@code [offset, end)}; lists of them are kept sorted and disjoint. */
record Range(long offset, long end) {
    Range {
        if (offset < 0 || end < offset) throw new IllegalArgumentException("bad range " + offset + ".." + end);
    }

    long length() { return end - offset; }

    static long total(List<Range> rs) {
        long s = 0;
        for (Range r : rs) s += r.length();
        return s;
    }

    /** Sorted, with touching or overlapping ranges merged. */
    static List<Range> merge(List<Range> rs) {
        List<Range> sorted = new ArrayList<>(rs);
        sorted.sort((a, b) -> Long.compare(a.offset, b.offset));
        List<Range> out = new ArrayList<>();
        for (Range r : sorted) {
            if (r.length() == 0) continue;
            if (!out.isEmpty() && out.getLast().end >= r.offset) {
                Range last = out.removeLast();
                out.add(new Range(last.offset, Math.max(last.end, r.end)));
            } else {
                out.add(r);
            }
        }
        return out;
    }

    /** The parts of {@code todo} that {@code map} does not show as reading zero (unknown counts as not zero). */
    static List<Range> notZero(ExtentMap map, List<Range> todo) {
        List<Range> out = new ArrayList<>();
        for (Range r : todo) {
            long p = r.offset;
            while (p < r.end) {
                int i = map.indexOf(p);
                long extEnd = i < 0 ? r.end : Math.min(r.end, map.start(i) + map.length(i));
                if (extEnd <= p) extEnd = r.end;
                boolean zero = i >= 0 && ExtentKind.readsAsZero(map.status(i));
                if (!zero) out.add(new Range(p, extEnd));
                p = extEnd;
            }
        }
        return merge(out);
    }

    /** The ranges of {@code todo} from {@code offset} on. */
    static List<Range> from(List<Range> todo, long offset) {
        List<Range> out = new ArrayList<>();
        for (Range r : todo) {
            if (r.end <= offset) continue;
            out.add(new Range(Math.max(r.offset, offset), r.end));
        }
        return out;
    }

    /** Number of requests of at most {@code step} bytes that cover {@code rs}. */
    static long chunks(List<Range> rs, long step) {
        long n = 0;
        for (Range r : rs) n += Math.ceilDiv(r.length(), step);
        return n;
    }
}
