package org.nbdscope.engine.zero;

/**
 * The user's explicit go-ahead for make-zero: {@code --yes} on the command line, or in the app the export
 * name typed by the user, which must equal {@link ZeroTarget#confirmationName()}.
 *
 * @param given      the user confirmed
 * @param typedName  the name the user typed, or null when confirmation came from {@code --yes}
 */
public record Confirmation(boolean given, String typedName) {
    public static Confirmation none() { return new Confirmation(false, null); }

    /** {@code --yes}. */
    public static Confirmation yes() { return new Confirmation(true, null); }

    /** The app's dialog: the name the user typed. */
    public static Confirmation typed(String name) { return new Confirmation(name != null, name); }

    /** True when this confirms make-zero on {@code target}. */
    public boolean confirms(ZeroTarget target) {
        if (!given) return false;
        return typedName == null || typedName.equals(target.confirmationName());
    }
}
