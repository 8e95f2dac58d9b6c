package org.nbdscope.engine.demo;

/** A named part of the demo disk's layout (a partition, the journal, the partition table...). */
public record DemoRegion(String name, long offset, long length, String what) {
    public long end() { return offset + length; }
}
