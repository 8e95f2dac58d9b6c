package org.nbdscope.engine.nbd.server.backend;

import java.util.Map;
import java.util.TreeMap;

/** Disjoint, merged half-open ranges {@code [start, end)} of longs. Not thread-safe. */
final class RangeSet {
    private final TreeMap<Long, Long> ranges = new TreeMap<>();

    boolean isEmpty() { return ranges.isEmpty(); }

    int size() { return ranges.size(); }

    void add(long start, long end) {
        if (start >= end) return;
        Map.Entry<Long, Long> floor = ranges.floorEntry(start);
        if (floor != null && floor.getValue() >= start) {
            start = floor.getKey();
            end = Math.max(end, floor.getValue());
        }
        while (true) {
            Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
            if (next == null || next.getKey() > end) break;
            end = Math.max(end, next.getValue());
            ranges.remove(next.getKey());
        }
        ranges.put(start, end);
    }

    void remove(long start, long end) {
        if (start >= end) return;
        Map.Entry<Long, Long> floor = ranges.floorEntry(start);
        if (floor != null && floor.getValue() > start) {
            ranges.put(floor.getKey(), start);
            if (floor.getKey() == start) ranges.remove(start);
            if (floor.getValue() > end) ranges.put(end, floor.getValue());
        }
        while (true) {
            Map.Entry<Long, Long> next = ranges.ceilingEntry(start);
            if (next == null || next.getKey() >= end) break;
            ranges.remove(next.getKey());
            if (next.getValue() > end) ranges.put(end, next.getValue());
        }
    }

    /** The range holding {@code x}, or null. */
    Map.Entry<Long, Long> rangeAt(long x) {
        Map.Entry<Long, Long> floor = ranges.floorEntry(x);
        return floor != null && floor.getValue() > x ? floor : null;
    }

    /** Start of the first range at or after {@code x}, or {@link Long#MAX_VALUE}. */
    long nextStart(long x) {
        Long k = ranges.ceilingKey(x);
        return k == null ? Long.MAX_VALUE : k;
    }
}
