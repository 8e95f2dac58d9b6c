package org.nbdscope.engine.nbd.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.nbdscope.engine.source.ExtentBatch;

/**
 * The answer to one {@code NBD_CMD_BLOCK_STATUS}: for each selected meta context, the extents from
 * {@code offset}, clipped to the requested range.
 */
public record BlockStatus(long offset, long length, Map<String, ExtentBatch> contexts) {
    public BlockStatus {
        contexts = Collections.unmodifiableMap(new LinkedHashMap<>(contexts));
    }

    /** The extents of one context, or null if the server sent none for it. */
    public ExtentBatch get(String context) { return contexts.get(context); }
}
