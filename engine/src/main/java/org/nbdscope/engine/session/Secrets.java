package org.nbdscope.engine.session;

import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule that keeps secrets out of session files: no password, no TLS private key, no PSK and no
 * other key material is ever written. Targets keep their user name but lose any password in the
 * userinfo ({@code nbd://user:secret@host/} becomes {@code nbd://user@host/}) and every query parameter
 * that names a secret or a file holding one ({@code tls-psk-file}, {@code password}, {@code tls-private-key},
 * any name containing {@code password}, {@code passwd}, {@code secret}, {@code psk}, {@code private},
 * {@code token} or {@code key}). The same is done to URIs inside free text (error messages, detail rows).
 * {@link SessionFiles#write} applies it to the whole session once more before writing.
 */
public final class Secrets {
    private Secrets() {}

    private static final List<String> SECRET_WORDS = List.of("password", "passwd", "secret", "psk", "private", "token", "key");
    private static final Pattern URI_IN_TEXT = Pattern.compile("(?i)\\bnbds?(?:\\+unix)?://[^\\s\"'<>]*");

    /** {@code target} without a userinfo password or secret query parameters; non-URIs (paths, {@code demo}) unchanged. */
    public static String redactTarget(String target) {
        if (target == null) return null;
        int scheme = target.indexOf("://");
        if (scheme <= 0 || !target.substring(0, scheme).toLowerCase(Locale.ROOT).matches("nbds?(\\+unix)?")) return target;
        int authStart = scheme + 3;
        int authEnd = authStart;
        while (authEnd < target.length() && "/?#".indexOf(target.charAt(authEnd)) < 0) authEnd++;
        String authority = target.substring(authStart, authEnd);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            String userinfo = authority.substring(0, at);
            int colon = userinfo.indexOf(':');
            if (colon >= 0) authority = userinfo.substring(0, colon) + authority.substring(at);
        }
        String rest = target.substring(authEnd);
        int q = rest.indexOf('?');
        if (q >= 0) {
            int hash = rest.indexOf('#', q);
            String query = hash < 0 ? rest.substring(q + 1) : rest.substring(q + 1, hash);
            String fragment = hash < 0 ? "" : rest.substring(hash);
            StringBuilder kept = new StringBuilder();
            for (String part : query.split("[&;]")) {
                if (part.isEmpty()) continue;
                int eq = part.indexOf('=');
                String key = (eq < 0 ? part : part.substring(0, eq)).toLowerCase(Locale.ROOT);
                if (secretName(decode(key))) continue;
                if (!kept.isEmpty()) kept.append('&');
                kept.append(part);
            }
            rest = rest.substring(0, q) + (kept.isEmpty() ? "" : "?" + kept) + fragment;
        }
        return target.substring(0, authStart) + authority + rest;
    }

    /** {@code text} with every NBD URI in it redacted as by {@link #redactTarget}. */
    public static String redactText(String text) {
        if (text == null || text.indexOf("://") < 0) return text;
        Matcher m = URI_IN_TEXT.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(redactTarget(m.group())));
        m.appendTail(sb);
        return sb.toString();
    }

    /** True for a query parameter name that names a secret or a file holding one. */
    public static boolean secretName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (String w : SECRET_WORDS) if (n.contains(w)) return true;
        return false;
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
