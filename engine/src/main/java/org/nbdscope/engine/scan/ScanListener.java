package org.nbdscope.engine.scan;

/**
 * Progress of a running scan, called from I/O threads each time more of the map is known, in order.
 * A view must not do its drawing here: it should note the figures and redraw at most once per frame.
 */
@FunctionalInterface
public interface ScanListener {
    void progress(long bytesCovered, int extents, long requests);

    ScanListener NONE = (b, e, r) -> {};
}
