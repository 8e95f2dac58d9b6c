package org.nbdscope.engine.nbd.client;

import java.util.List;

import org.nbdscope.engine.proto.TransmissionFlags;

/**
 * One export of a listing as {@code NBD_OPT_INFO} describes it, without entering transmission.
 *
 * <p>The size: {@code NBD_OPT_INFO}'s answer is taken as it is unless it is 0. nbd-server 3.24 answers
 * every {@code NBD_OPT_INFO} with size 0 (it learns the size only when {@code NBD_OPT_GO} commits to the
 * export), so a 0 is confirmed by an {@code NBD_OPT_GO} on a fresh connection; {@link #sizeNote} then
 * says where the size came from, or, when the confirmation failed, that the 0 is only what
 * {@code NBD_OPT_INFO} reported. The same fresh {@code NBD_OPT_GO} describes exports of a server that
 * does not support {@code NBD_OPT_INFO} at all.
 *
 * @param name               the name {@code NBD_OPT_LIST} gave
 * @param canonicalName      {@code NBD_INFO_NAME} when the server sent one, else null
 * @param description        the listing's description, else {@code NBD_INFO_DESCRIPTION}'s; empty when neither
 * @param size               export size in bytes (see above)
 * @param sizeNote           null when the size is {@code NBD_OPT_INFO}'s own answer; else where it came from
 *                           or why it is doubtful
 * @param transmissionFlags  16-bit transmission flags
 * @param minimumBlockSize   {@code NBD_INFO_BLOCK_SIZE} minimum, 0 when not sent
 * @param preferredBlockSize preferred block size, 0 when not sent
 * @param maximumPayload     maximum payload, 0 when not sent
 * @param initState          {@code NBD_INFO_INIT_STATE} flags, or null when not sent
 * @param contexts           meta contexts {@code NBD_OPT_LIST_META_CONTEXT} named for this export
 * @param contextsListed     true when {@code NBD_OPT_LIST_META_CONTEXT} was answered (so no contexts means none)
 * @param error              why the server would not describe this export, else null (the other fields
 *                           are then empty)
 */
public record ExportDetails(String name, String canonicalName, String description, long size, String sizeNote,
                            int transmissionFlags, long minimumBlockSize, long preferredBlockSize, long maximumPayload,
                            Integer initState, List<String> contexts, boolean contextsListed, String error) {

    public ExportDetails {
        contexts = List.copyOf(contexts);
        if (description == null) description = "";
    }

    static ExportDetails failed(ExportEntry e, String error) {
        return new ExportDetails(e.name(), null, e.description(), 0, null, 0, 0, 0, 0, null, List.of(), false, error);
    }

    /** The server's own name for the export if it sent one, else the listed name. */
    public String displayName() { return canonicalName != null ? canonicalName : name; }

    public boolean ok() { return error == null; }

    public boolean blockSizeSent() { return minimumBlockSize != 0; }

    public boolean has(int transmissionFlag) { return TransmissionFlags.has(transmissionFlags, transmissionFlag); }

    public boolean readOnly() { return has(TransmissionFlags.READ_ONLY); }

    ExportDetails withSize(long newSize, String note) {
        return new ExportDetails(name, canonicalName, description, newSize, note, transmissionFlags, minimumBlockSize,
            preferredBlockSize, maximumPayload, initState, contexts, contextsListed, error);
    }
}
