package org.nbdscope.engine.nbd.server;

import java.util.Objects;

import org.nbdscope.engine.nbd.server.backend.Backend;

/**
 * One export of an {@link NbdServer}: its name (as clients ask for it), the backend, a description for
 * {@code NBD_OPT_LIST} and {@code NBD_INFO_DESCRIPTION}, and whether writes are refused. An export whose
 * backend cannot be written is always read-only.
 */
public record Export(String name, Backend backend, String description, boolean readOnly) {
    public static final int MAX_NAME_BYTES = 4096;

    public Export {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(backend, "backend");
        description = description == null ? "" : description;
        if (name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_NAME_BYTES) {
            throw new IllegalArgumentException("export name is longer than " + MAX_NAME_BYTES + " bytes");
        }
        readOnly = readOnly || !backend.writable();
    }
}
