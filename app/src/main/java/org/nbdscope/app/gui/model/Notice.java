package org.nbdscope.app.gui.model;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.nbdscope.engine.source.SourceException;

/** Something to tell the user: a title and the full message. Never a stack trace. */
public record Notice(Severity severity, String title, String message) {
    public enum Severity { INFO, ERROR }

    public static Notice error(String title, Throwable t) {
        return new Notice(Severity.ERROR, title, messageOf(t));
    }

    /** The readable message of a failure: unwraps executor wrappers, names the type only when there is no message. */
    public static String messageOf(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) c = c.getCause();
        String m = c.getMessage();
        if (m == null || m.isBlank()) {
            Throwable cause = c.getCause();
            return cause != null && cause != c ? messageOf(cause) : c.getClass().getSimpleName();
        }
        // the engine's SourceException is written for the user and already says why in plain words: its
        // cause (such as a socket error in the transport's own wording) would only repeat it less clearly
        if (c instanceof SourceException) return m;
        Throwable cause = c.getCause();
        if (cause != null && cause.getMessage() != null && !m.contains(cause.getMessage())) m += ": " + cause.getMessage();
        return m;
    }

    /** Title and message on one line, as the notification bar shows it. */
    public String text() {
        return title + ": " + message;
    }
}
