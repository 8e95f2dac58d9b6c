package org.nbdscope.engine.proto;

/** Error values (doc/proto.md, "Error values"). */
public enum NbdError {
    EPERM(1, "Operation not permitted"), EIO(5, "Input/output error"), ENOMEM(12, "Cannot allocate memory"),
    EINVAL(22, "Invalid argument"), ENOSPC(28, "No space left on device"), EOVERFLOW(75, "Value too large"),
    ENOTSUP(95, "Operation not supported"), ESHUTDOWN(108, "Server is in the process of being shut down");

    private final int code;
    private final String text;

    NbdError(int code, String text) { this.code = code; this.text = text; }

    public int code() { return code; }

    public String text() { return text; }

    public static NbdError of(int code) {
        for (NbdError e : values()) if (e.code == code) return e;
        return null;
    }

    /** "NBD_ENOTSUP (95, Operation not supported)" or "error 42" for values outside the spec. */
    public static String describe(int code) {
        NbdError e = of(code);
        return e == null ? "error " + code : "NBD_" + e.name() + " (" + code + ", " + e.text + ")";
    }
}
