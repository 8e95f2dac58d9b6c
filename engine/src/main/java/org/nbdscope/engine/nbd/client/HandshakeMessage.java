package org.nbdscope.engine.nbd.client;

/** What {@link OptionReplyDecoder} reads from a server during the handshake. */
sealed interface HandshakeMessage {

    /** The newstyle greeting: NBDMAGIC, IHAVEOPT and the 16-bit handshake flags. */
    record Greeting(int handshakeFlags) implements HandshakeMessage {}

    /** The reply to {@code NBD_OPT_EXPORT_NAME}: size and transmission flags. */
    record ExportNameReply(long size, int transmissionFlags) implements HandshakeMessage {}

    /** One fixed-newstyle option reply. */
    sealed interface OptionReply extends HandshakeMessage {
        /** The option this replies to. */
        int option();
    }

    /** {@code NBD_REP_ACK}. */
    record Ack(int option) implements OptionReply {}

    /** {@code NBD_REP_SERVER}: one export of a LIST. */
    record Server(int option, String name, String description) implements OptionReply {}

    /** {@code NBD_REP_META_CONTEXT}. */
    record MetaContext(int option, int id, String name) implements OptionReply {}

    /** {@code NBD_REP_INFO}. */
    record Info(int option, InfoItem item) implements OptionReply {}

    /** Any reply with bit 31 set, with the server's message (possibly empty). */
    record Error(int option, int type, String message) implements OptionReply {}

    /** The payload of {@code NBD_REP_INFO}. */
    sealed interface InfoItem {}

    record ExportInfo(long size, int transmissionFlags) implements InfoItem {}

    record NameInfo(String name) implements InfoItem {}

    record DescriptionInfo(String description) implements InfoItem {}

    record BlockSizeInfo(long minimum, long preferred, long maximum) implements InfoItem {}

    /** {@code NBD_INFO_INIT_STATE}: 16 bits of flags. */
    record InitStateInfo(int flags) implements InfoItem {}

    /** An information type this client does not know; ignored as the spec requires. */
    record UnknownInfo(int type, int length) implements InfoItem {}
}
