package org.nbdscope.engine.nbd.client;

/** One export from {@code NBD_OPT_LIST}: its name and the optional description (empty when none). */
public record ExportEntry(String name, String description) {}
