package org.nbdscope.engine.proto;

/** Option types sent during fixed-newstyle haggling (doc/proto.md, "Option types"). */
public enum NbdOption {
    EXPORT_NAME(1), ABORT(2), LIST(3), PEEK_EXPORT(4), STARTTLS(5), INFO(6), GO(7),
    STRUCTURED_REPLY(8), LIST_META_CONTEXT(9), SET_META_CONTEXT(10), EXTENDED_HEADERS(11);

    private final int code;

    NbdOption(int code) { this.code = code; }

    public int code() { return code; }

    /** @return the option for a wire value, or {@code null} when unknown. */
    public static NbdOption of(int code) {
        for (NbdOption o : values()) if (o.code == code) return o;
        return null;
    }

    public static String name(int code) {
        NbdOption o = of(code);
        return o == null ? "unknown option " + code : "NBD_OPT_" + o.name();
    }
}
