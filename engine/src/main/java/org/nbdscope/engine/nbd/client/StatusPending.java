package org.nbdscope.engine.nbd.client;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.source.ExtentBatch;

/**
 * A BLOCK_STATUS: one status chunk per selected meta context, each with non-empty extents that start at
 * the request's offset and stay inside the requested range (the last may run past it and is clipped);
 * with {@code REQ_ONE} exactly one extent no longer than the request.
 */
final class StatusPending extends Pending<BlockStatus> {
    private final Map<Integer, String> contextNames;
    private final boolean extended;
    private final Map<String, ExtentBatch> batches = new LinkedHashMap<>();

    StatusPending(NbdRequest request, Map<Integer, String> contextNames, boolean extended) {
        super(request);
        this.contextNames = contextNames;
        this.extended = extended;
    }

    @Override
    void onStatus(Reply.Status st) {
        if (st.extended() != extended) {
            invalid((st.extended() ? "NBD_REPLY_TYPE_BLOCK_STATUS_EXT without" : "NBD_REPLY_TYPE_BLOCK_STATUS with")
                + " extended headers");
            return;
        }
        String name = contextNames.get(st.contextId());
        if (name == null) {
            invalid("status chunk for meta context id " + st.contextId() + ", which was never selected");
            return;
        }
        if (batches.containsKey(name)) {
            invalid("two status chunks for meta context " + name);
            return;
        }
        long[] lengths = st.lengths();
        int n = lengths.length;
        boolean reqOne = (request.flags() & NbdCommand.FLAG_REQ_ONE) != 0;
        if (reqOne && n != 1) {
            invalid("REQ_ONE block status answered with " + n + " extents for " + name);
            return;
        }
        long prefix = 0; // bytes covered by the extents before i (each clipped to the request, so no overflow)
        for (int i = 0; i < n; i++) {
            if (lengths[i] == 0) {
                invalid("zero-length extent at index " + i + " for " + name);
                return;
            }
            if (prefix >= request.length()) {
                invalid("extent " + i + " for " + name + " starts at " + (request.offset() + prefix)
                    + ", past the requested range " + request.offset() + "+" + request.length());
                return;
            }
            if (reqOne && lengths[i] > request.length()) {
                invalid("REQ_ONE extent of " + lengths[i] + " bytes for " + name + " exceeds the requested " + request.length());
                return;
            }
            if (i < n - 1) prefix += Math.min(lengths[i], request.length() - prefix);
        }
        long[] clipped = lengths.clone();
        clipped[n - 1] = Math.min(lengths[n - 1], request.length() - prefix);
        batches.put(name, new ExtentBatch(request.offset(), clipped, st.status().clone(), n));
    }

    @Override
    void onSimpleSuccess() {
        invalid("simple reply without status chunks");
    }

    @Override
    BlockStatus result() {
        for (String name : contextNames.values()) {
            if (!batches.containsKey(name)) {
                invalid("no status chunk for meta context " + name);
                return null;
            }
        }
        return new BlockStatus(request.offset(), request.length(), batches);
    }
}
