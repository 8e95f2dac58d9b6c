package org.nbdscope.app.gui.model;

/** One row of the export details: a group ("Export", "Negotiated", "Last scan"), a name and a value. */
public record DetailRow(String group, String name, String value) {}
