package org.nbdscope.engine.session;

/** One saved row of the details view: {@link org.nbdscope.engine.source.SourceDetails.Row} as plain data. */
public record DetailRow(String group, String name, String value) {}
