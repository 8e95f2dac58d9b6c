package org.nbdscope.engine.demo;

import org.nbdscope.engine.proto.BlockStatusFlags;

/** One extent of the demo disk's known layout, with its {@code base:allocation} status bits. */
public record DemoExtent(long offset, long length, int status) {
    public long end() { return offset + length; }

    /** "data", "zero" or "hole,zero", as nbdinfo --map prints it. */
    public String description() { return BlockStatusFlags.describeBaseAllocation(status); }
}
