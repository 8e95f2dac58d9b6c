package org.nbdscope.engine.image.qcow2;

import java.lang.foreign.MemorySegment;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import org.nbdscope.engine.image.ImageFile;

/**
 * A bounded LRU cache of metadata read from one file (L1 pages, L2 tables, refcount pages and blocks),
 * keyed by file offset. Entries never overlap for one kind of table, and each key is always read with the
 * same length. Thread-safe.
 */
final class TableCache {
    private final ImageFile file;
    private final long maxBytes;
    private final LinkedHashMap<Long, MemorySegment> entries = new LinkedHashMap<>(64, 0.75f, true);
    private long bytes;
    private long misses;
    /** The two most recent answers, checked before the map: a walk alternates one L1 page and one L2 table. */
    private volatile Hit recent0;
    private volatile Hit recent1;

    private record Hit(long offset, MemorySegment segment) {}

    TableCache(ImageFile file, long maxBytes) {
        this.file = file;
        this.maxBytes = maxBytes;
    }

    /**
     * The {@code length} bytes at {@code offset}, from the cache or the file; {@code what} and
     * {@code index} (when not negative) name them in errors: "L2 table of L1 entry " + 7.
     */
    MemorySegment get(long offset, long length, String what, long index) {
        Hit h = recent0;
        if (h != null && h.offset == offset && h.segment.byteSize() == length) return h.segment;
        Hit g = recent1;
        if (g != null && g.offset == offset && g.segment.byteSize() == length) {
            recent1 = h;
            recent0 = g;
            return g.segment;
        }
        MemorySegment s = lookup(offset, length, what, index);
        recent1 = h;
        recent0 = new Hit(offset, s);
        return s;
    }

    private synchronized MemorySegment lookup(long offset, long length, String what, long index) {
        MemorySegment s = entries.get(offset);
        if (s != null && s.byteSize() == length) return s;
        if (s != null) {
            entries.remove(offset);
            bytes -= s.byteSize();
        }
        s = file.read(offset, length, index < 0 ? what : what + index);
        misses++;
        entries.put(offset, s);
        bytes += length;
        Iterator<Map.Entry<Long, MemorySegment>> it = entries.entrySet().iterator();
        while (bytes > maxBytes && entries.size() > 1 && it.hasNext()) {
            Map.Entry<Long, MemorySegment> e = it.next();
            if (e.getKey() == offset) continue;
            bytes -= e.getValue().byteSize();
            it.remove();
        }
        return s;
    }

    synchronized long bytes() { return bytes; }

    synchronized int size() { return entries.size(); }

    /** Reads from the file so far (cache misses). */
    synchronized long misses() { return misses; }
}
