package org.nbdscope.engine.session;

/** Lets tests of other packages use the full test session. */
public final class SessionTestAccess {
    private SessionTestAccess() {}

    public static Session full() { return Sessions.full(); }
}
