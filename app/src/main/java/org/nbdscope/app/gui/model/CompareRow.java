package org.nbdscope.app.gui.model;

/**
 * One row of the compare table: a measure and its value on each side, as text ("—" where that side has not
 * run).
 */
public record CompareRow(String measure, String probe, String makeZero) {}
