package org.nbdscope.engine.nbd.client;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import org.nbdscope.engine.nbd.NbdUri;

/**
 * Socket failures in the words a storage engineer expects ("connection refused", "host name not found"),
 * without the transport's wording ({@code finishConnect(..) failed with error(-111)}, the address it
 * appends, the exception's class name).
 */
final class NetErrors {
    private NetErrors() {}

    private static final int ENOENT = 2;
    private static final int EACCES = 13;
    private static final int ECONNREFUSED = 111;

    /** Netty's native prefix, {@code finishConnect(..) failed with error(-111): } or {@code connect(..) failed: }. */
    private static final Pattern NATIVE_PREFIX = Pattern.compile("^[A-Za-z0-9_]+\\(\\.\\.\\) failed(?: with error\\(-?\\d+\\))?: ");
    /** The address Netty's annotated exceptions append: {@code : /127.0.0.1:1} or {@code : /tmp/x.sock}. */
    private static final Pattern ADDRESS_SUFFIX = Pattern.compile(": (?:[^\\s/:]*/)[^\\s]*$");

    /** The whole message for a failed connect to {@code uri}. */
    static String connectFailure(NbdUri uri, Throwable cause, Duration connectTimeout) {
        String where = Transport.describe(uri);
        Throwable t = root(cause);
        if (t instanceof UnknownHostException u) {
            String m = u.getMessage() == null ? "" : u.getMessage();
            if (m.toLowerCase(Locale.ROOT).contains("temporary failure")) {
                return "cannot look up host name " + uri.host() + ": temporary failure in name resolution (is a DNS server reachable?)";
            }
            return "host name not found: " + uri.host();
        }
        if (t instanceof ConnectTimeoutException) {
            return "cannot connect to " + where + ": no answer within " + seconds(connectTimeout) + " (connect timeout)";
        }
        if (uri.unix()) return unixFailure(uri.socketPath(), t);
        return "cannot connect to " + where + ": " + text(t);
    }

    private static String unixFailure(String socket, Throwable t) {
        Path p = Path.of(socket);
        int errno = errno(t);
        if (t instanceof FileNotFoundException || errno == ENOENT || !Files.exists(p, LinkOption.NOFOLLOW_LINKS) && errno != EACCES) {
            return "no such socket " + socket + ": the file does not exist (is the server running?)";
        }
        if (Files.isDirectory(p)) return "cannot connect to " + socket + ": it is a directory, not a socket";
        if (Files.isRegularFile(p)) return "cannot connect to " + socket + ": it is a regular file, not a socket";
        if (errno == ECONNREFUSED || t instanceof ConnectException && errno == 0 && text(t).contains("refused")) {
            return "cannot connect to " + socket + ": connection refused (the socket exists but no server is listening on it)";
        }
        return "cannot connect to " + socket + ": " + text(t);
    }

    /** "0.7 s", "10 s". */
    static String seconds(Duration d) {
        long ms = d.toMillis();
        return (ms % 1000 == 0 ? Long.toString(ms / 1000) : Double.toString(ms / 1000.0)) + " s";
    }

    /** The readable text of an I/O failure: "connection refused", "connection reset by peer". */
    static String text(Throwable cause) {
        Throwable t = root(cause);
        if (t instanceof UnknownHostException) return "host name not found: " + t.getMessage();
        if (t instanceof ConnectTimeoutException) return "connect timed out";
        if (t instanceof FileNotFoundException) return "no such file or directory";
        String m = t.getMessage();
        if (m == null || m.isBlank()) return t.getClass().getSimpleName();
        if (!(t instanceof IOException)) return m;
        m = NATIVE_PREFIX.matcher(m).replaceFirst("");
        m = ADDRESS_SUFFIX.matcher(m).replaceFirst("");
        // strerror's capital, as in "Connection refused", reads oddly after a colon
        if (m.length() > 1 && Character.isUpperCase(m.charAt(0)) && Character.isLowerCase(m.charAt(1))) {
            m = Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }
        return m;
    }

    /** The innermost cause that still says something (Netty wraps the native error in an annotated copy). */
    private static Throwable root(Throwable t) {
        while (t.getCause() != null && t.getCause() != t
            && (t.getMessage() == null || t.getClass().getName().contains("Annotated") || t.getCause() instanceof Errors.NativeIoException)) {
            t = t.getCause();
        }
        return t;
    }

    /** The positive errno of a native failure, or 0. */
    private static int errno(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof Errors.NativeIoException n) return Math.abs(n.expectedErr());
        }
        String m = t.getMessage();
        if (m != null) {
            var match = Pattern.compile("error\\((-?\\d+)\\)").matcher(m);
            if (match.find()) return Math.abs(Integer.parseInt(match.group(1)));
        }
        return 0;
    }
}
