package org.nbdscope.app.gui.model;

import org.nbdscope.engine.extent.ExtentKind;
import org.nbdscope.engine.extent.ExtentMap;

/** A row of the extent table, made only when the table asks for a visible row. */
public record ExtentRow(int index, long offset, long length, int status) {
    public ExtentKind kind() { return ExtentKind.of(status); }

    /** {@code data}, {@code hole,zero}, ... as nbdinfo prints them, or {@code unknown}. */
    public String description() { return ExtentMap.describe(status); }
}
