package org.nbdscope.engine.nbd;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An NBD URI as described in the NBD project's {@code doc/uri.md}: {@code nbd://host:port/export},
 * {@code nbds://…}, {@code nbd+unix:///export?socket=PATH}, {@code nbds+unix:///export?socket=PATH}.
 *
 * @param scheme     one of {@code nbd}, {@code nbds}, {@code nbd+unix}, {@code nbds+unix}
 * @param tls        true for the {@code nbds} schemes: TLS or failure
 * @param host       host name or IP literal (IPv6 without brackets); null for Unix sockets
 * @param port       TCP port (default 10809); -1 for Unix sockets
 * @param socketPath the Unix socket path ({@code socket=} query); null for TCP
 * @param exportName the path without its leading '/', percent-decoded; may be empty
 * @param user       the userinfo part, or null
 * @param query      the query parameters, percent-decoded, in order
 */
public record NbdUri(String scheme, boolean tls, String host, int port, String socketPath, String exportName,
                     String user, Map<String, String> query) {

    /** The IANA port for NBD. */
    public static final int DEFAULT_PORT = 10809;

    private static final Set<String> SCHEMES = Set.of("nbd", "nbds", "nbd+unix", "nbds+unix");
    private static final Set<String> KNOWN_QUERY = Set.of(
        "socket", "tls-type", "tls-hostname", "tls-verify-peer", "tls-certificates", "tls-username");

    public NbdUri {
        query = Collections.unmodifiableMap(new LinkedHashMap<>(query));
    }

    /** The same server and parameters with another export name. */
    public NbdUri withExportName(String name) {
        return new NbdUri(scheme, tls, host, port, socketPath, name, user, query);
    }

    /** True for the {@code +unix} schemes. */
    public boolean unix() { return socketPath != null; }

    /** Directory (libnbd/gnutls layout with {@code ca-cert.pem}) or CA file, from {@code tls-certificates}; or null. */
    public String tlsCertificates() { return query.get("tls-certificates"); }

    /** {@code tls-verify-peer}: true unless the URI says {@code 0}/{@code false}. */
    public boolean tlsVerifyPeer() {
        String v = query.get("tls-verify-peer");
        return v == null || !(v.equals("0") || v.equalsIgnoreCase("false"));
    }

    /** {@code tls-hostname} if given, else the URI host (null for Unix sockets). */
    public String tlsHostname() {
        String h = query.get("tls-hostname");
        return h != null ? h : host;
    }

    /**
     * Parses an NBD URI. Malformed input gets an {@link NbdUriException} naming the bad part: the scheme,
     * the host, the port, a query parameter, or the character position of a syntax error.
     */
    public static NbdUri parse(String text) {
        if (text == null || text.isBlank()) throw new NbdUriException("empty NBD URI");
        URI u;
        try {
            u = new URI(text);
        } catch (URISyntaxException e) {
            throw new NbdUriException("malformed NBD URI '" + text + "': " + e.getReason()
                + (e.getIndex() >= 0 ? " at index " + e.getIndex() : ""));
        }
        String scheme = u.getScheme();
        if (scheme == null) throw new NbdUriException("not an NBD URI (no scheme): '" + text + "'");
        scheme = scheme.toLowerCase(java.util.Locale.ROOT);
        if (!SCHEMES.contains(scheme)) {
            throw new NbdUriException("unknown NBD URI scheme '" + u.getScheme() + "' (use nbd, nbds, nbd+unix or nbds+unix)");
        }
        if (u.isOpaque()) throw new NbdUriException("malformed NBD URI '" + text + "': expected " + scheme + "://");
        if (u.getRawFragment() != null) throw new NbdUriException("NBD URI must not have a fragment: '#" + u.getRawFragment() + "'");
        boolean tls = scheme.startsWith("nbds");
        boolean unix = scheme.endsWith("+unix");

        Map<String, String> query = parseQuery(u.getRawQuery());
        for (String key : query.keySet()) {
            if (key.equals("tls-psk-file")) throw new NbdUriException("query parameter 'tls-psk-file': TLS-PSK is not supported");
            if (!KNOWN_QUERY.contains(key) && !key.startsWith("x-")) {
                throw new NbdUriException("unknown query parameter '" + key + "'");
            }
        }
        String verify = query.get("tls-verify-peer");
        if (verify != null && !Set.of("0", "1", "true", "false").contains(verify.toLowerCase(java.util.Locale.ROOT))) {
            throw new NbdUriException("query parameter 'tls-verify-peer' must be 0 or 1, not '" + verify + "'");
        }
        String tlsType = query.get("tls-type");
        if (tlsType != null && !tlsType.equals("x509")) {
            throw new NbdUriException("query parameter 'tls-type': only x509 is supported, not '" + tlsType + "'");
        }

        String user = null;
        String host = null;
        int port = -1;
        String authority = u.getRawAuthority();
        if (authority != null && !authority.isEmpty()) {
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                user = decode(authority.substring(0, at), "userinfo");
                authority = authority.substring(at + 1);
            }
            String portText = null;
            if (authority.startsWith("[")) {
                int close = authority.indexOf(']');
                if (close < 0) throw new NbdUriException("IPv6 host '" + authority + "' lacks its closing ']'");
                host = authority.substring(1, close);
                if (host.isEmpty() || !host.contains(":")) throw new NbdUriException("bad IPv6 host literal '[" + host + "]'");
                String rest = authority.substring(close + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) throw new NbdUriException("unexpected '" + rest + "' after IPv6 host");
                    portText = rest.substring(1);
                }
            } else {
                int colon = authority.lastIndexOf(':');
                if (colon >= 0) {
                    portText = authority.substring(colon + 1);
                    authority = authority.substring(0, colon);
                }
                host = decode(authority, "host");
            }
            if (portText != null && !portText.isEmpty()) {
                try {
                    port = Integer.parseInt(portText);
                } catch (NumberFormatException e) {
                    throw new NbdUriException("port '" + portText + "' is not a number");
                }
                if (port < 1 || port > 65535) throw new NbdUriException("port " + port + " is out of range 1..65535");
            }
            if (host != null && host.isEmpty()) host = null;
        }

        String socket = query.get("socket");
        if (unix) {
            if (socket == null || socket.isEmpty()) {
                throw new NbdUriException(scheme + " URI needs a socket= query parameter naming the Unix socket");
            }
            if (host != null || port >= 0) {
                throw new NbdUriException(scheme + " URI must not name a host or port ('" + u.getRawAuthority() + "')");
            }
        } else {
            if (socket != null) throw new NbdUriException("query parameter 'socket' needs scheme " + (tls ? "nbds+unix" : "nbd+unix"));
            if (host == null) throw new NbdUriException(scheme + " URI needs a host, as in " + scheme + "://localhost/export");
            if (port < 0) port = DEFAULT_PORT;
        }

        String path = u.getRawPath() == null ? "" : u.getRawPath();
        String export = path.startsWith("/") ? path.substring(1) : path;
        export = decode(export, "export name");
        if (export.indexOf('\0') >= 0) throw new NbdUriException("export name must not contain NUL");
        if (export.getBytes(StandardCharsets.UTF_8).length > 4096) {
            throw new NbdUriException("export name is longer than 4096 bytes");
        }
        return new NbdUri(scheme, tls, host, unix ? -1 : port, unix ? socket : null, export, user, query);
    }

    /** True when {@code text} starts with one of the NBD schemes (it may still be malformed). */
    public static boolean looksLikeNbd(String text) {
        int colon = text == null ? -1 : text.indexOf("://");
        return colon > 0 && SCHEMES.contains(text.substring(0, colon).toLowerCase(java.util.Locale.ROOT));
    }

    private static Map<String, String> parseQuery(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) return m;
        for (String part : raw.split("[&;]")) {
            if (part.isEmpty()) continue;
            int eq = part.indexOf('=');
            String key = decode(eq < 0 ? part : part.substring(0, eq), "query parameter name");
            String value = eq < 0 ? "" : decode(part.substring(eq + 1), "query parameter '" + key + "'");
            if (m.containsKey(key)) throw new NbdUriException("query parameter '" + key + "' given twice");
            m.put(key, value);
        }
        return m;
    }

    /** RFC 3986 percent-decoding ('+' stays '+'), as UTF-8. */
    static String decode(String s, String what) {
        if (s.indexOf('%') < 0) return s;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new NbdUriException("bad percent-escape at the end of the " + what + " '" + s + "'");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) throw new NbdUriException("bad percent-escape '" + s.substring(i, i + 3) + "' in the " + what);
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The URI as text, for display: scheme, authority, export and the socket (other parameters left out). */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(scheme).append("://");
        if (!unix()) {
            sb.append(host.contains(":") ? "[" + host + "]" : host);
            if (port != DEFAULT_PORT) sb.append(':').append(port);
        }
        sb.append('/').append(encodePath(exportName));
        if (unix()) sb.append("?socket=").append(socketPath);
        return sb.toString();
    }

    private static String encodePath(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~/:@!$&'()*+,;=".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }
}
