package org.nbdscope.engine.proto;

/** Magic numbers of the NBD protocol (doc/proto.md, "Reserved Magic values"). */
public final class NbdMagic {
    private NbdMagic() {}

    /** "NBDMAGIC", first 8 bytes a server sends. */
    public static final long NBDMAGIC = 0x4e42444d41474943L;
    /** "IHAVEOPT": newstyle negotiation; also prefixes every client option. */
    public static final long IHAVEOPT = 0x49484156454F5054L;
    /** Oldstyle negotiation magic ("cliserv magic"). */
    public static final long OLDSTYLE = 0x00420281861253L;
    /** Magic of every option reply. */
    public static final long OPTION_REPLY = 0x3e889045565a9L;

    /** Compact (28-byte) request header. */
    public static final int REQUEST = 0x25609513;
    /** Extended (32-byte) request header. */
    public static final int EXTENDED_REQUEST = 0x21e41c71;
    /** Simple (16-byte) reply. */
    public static final int SIMPLE_REPLY = 0x67446698;
    /** Structured reply chunk (20-byte header). */
    public static final int STRUCTURED_REPLY = 0x668e33ef;
    /** Extended reply chunk (32-byte header). */
    public static final int EXTENDED_REPLY = 0x6e8a278c;

    public static final int COMPACT_REQUEST_SIZE = 28;
    public static final int EXTENDED_REQUEST_SIZE = 32;
    public static final int SIMPLE_REPLY_SIZE = 16;
    public static final int STRUCTURED_REPLY_SIZE = 20;
    public static final int EXTENDED_REPLY_SIZE = 32;
}
