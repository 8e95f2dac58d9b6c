package org.nbdscope.engine.session;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Reads and writes session files ({@code .nbdscope}).
 *
 * <p>Writing is atomic: the JSON goes to a temporary file in the same folder, which is flushed to the disk
 * ({@code fsync}) and renamed over the target ({@code ATOMIC_MOVE}); the folder is then flushed too. The
 * previous version is kept as {@code NAME.bak} (e.g. {@code disk.nbdscope.bak}). A save that fails (disk
 * full, read-only folder, no permission) leaves the old file and its backup as they were and throws an
 * {@link IOException} whose message says why.
 *
 * <p>Reading never throws anything but {@link IOException}: a file that is not a readable session gets a
 * {@link SessionFormatException} naming what is wrong. Older schemas are upgraded on load
 * ({@link SchemaUpgrades}); unknown fields are kept where the model has an {@code extra} map and ignored
 * elsewhere.
 */
public final class SessionFiles {
    private SessionFiles() {}

    /** The file extension, with its dot. */
    public static final String EXTENSION = ".nbdscope";
    /** What is added to a session file's name for its backup. */
    public static final String BACKUP_SUFFIX = ".bak";
    /** Larger files are refused before they are read. */
    public static final long MAX_FILE_SIZE = 1L << 30;

    /** The version of nbdscope this engine belongs to ({@code dev} when run from classes, not a jar). */
    public static String nbdscopeVersion() {
        String v = SessionFiles.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Where {@link #write} keeps the previous version of {@code file}. */
    public static Path backupOf(Path file) {
        return file.resolveSibling(file.getFileName() + BACKUP_SUFFIX);
    }

    // ---- reading ----

    /** Reads a session file; a missing or unreadable file is an {@link IOException}, a broken one a {@link SessionFormatException}. */
    public static Session read(Path file) throws IOException {
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such session file");
        }
        if (size > MAX_FILE_SIZE) {
            throw new SessionFormatException(SessionFormatException.Kind.INVALID,
                file + ": " + size + " bytes is larger than a session file can be (" + MAX_FILE_SIZE + ")");
        }
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** Reads a session from its bytes; {@code name} names it in messages. */
    public static Session parse(byte[] json, String name) throws SessionFormatException {
        Header h = header(json, name);
        Session s;
        if (h.schema == Session.SCHEMA) {
            s = map(json, name);
        } else {
            JsonNode tree;
            try {
                tree = SessionJson.MAPPER.readTree(json);
            } catch (JacksonException e) {
                throw translate(e, name);
            }
            try {
                SchemaUpgrades.upgrade((ObjectNode) tree, h.schema);
            } catch (IllegalArgumentException | JacksonException | ClassCastException e) {
                throw new SessionFormatException(SessionFormatException.Kind.INVALID,
                    name + ": cannot upgrade from schema " + h.schema + ": " + e.getMessage());
            }
            try {
                s = SessionJson.MAPPER.treeToValue(tree, Session.class);
            } catch (JacksonException e) {
                throw translate(e, name);
            }
        }
        validate(s, name);
        return s;
    }

    private record Header(int schema, String version) {}

    /** Reads the top-level {@code format}, {@code schema} and version without mapping anything. */
    private static Header header(byte[] json, String name) throws SessionFormatException {
        String format = null, version = null;
        Integer schema = null, schema0 = null;
        try (JsonParser p = SessionJson.MAPPER.createParser(json)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new SessionFormatException(SessionFormatException.Kind.SYNTAX, name + ": the file is empty");
            if (t != JsonToken.START_OBJECT) {
                throw new SessionFormatException(SessionFormatException.Kind.NOT_A_SESSION,
                    name + ": not a session file (it does not start with a JSON object)", null, 1, 1, null);
            }
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                t = p.nextToken();
                switch (field) {
                    case "format" -> format = t == JsonToken.VALUE_STRING ? p.getString() : "";
                    case "schema" -> schema = intValue(p, t, name, "schema");
                    case "schemaVersion" -> schema0 = intValue(p, t, name, "schemaVersion");
                    case "nbdscopeVersion", "nbdscope" -> version = t == JsonToken.VALUE_STRING ? p.getString() : null;
                    default -> p.skipChildren();
                }
            }
            if (t != JsonToken.END_OBJECT) throw new SessionFormatException(SessionFormatException.Kind.SYNTAX, name + ": unexpected " + t);
        } catch (JacksonException e) {
            throw translate(e, name);
        }
        if (format != null && !format.equals(Session.FORMAT)) {
            throw new SessionFormatException(SessionFormatException.Kind.NOT_A_SESSION,
                name + ": not an nbdscope session (format is '" + format + "', not '" + Session.FORMAT + "')", "format", -1, -1, null);
        }
        if (schema == null && format == null && schema0 != null && schema0 == 0) schema = 0;
        if (schema == null) {
            throw new SessionFormatException(SessionFormatException.Kind.NOT_A_SESSION,
                name + ": not an nbdscope session (no 'schema' field)", "schema", -1, -1, null);
        }
        if (schema > Session.SCHEMA) {
            throw new SessionFormatException(SessionFormatException.Kind.NEWER_VERSION,
                name + ": written by nbdscope " + (version == null ? "(unknown version)" : version) + ", schema " + schema
                    + "; this nbdscope (" + nbdscopeVersion() + ") reads up to schema " + Session.SCHEMA + ". Open it with a newer nbdscope.",
                "schema", -1, -1, null);
        }
        if (schema < 0) {
            throw new SessionFormatException(SessionFormatException.Kind.INVALID, name + ": schema " + schema + " is not a schema version", "schema", -1, -1, null);
        }
        return new Header(schema, version);
    }

    private static int intValue(JsonParser p, JsonToken t, String name, String field) throws SessionFormatException {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw new SessionFormatException(SessionFormatException.Kind.INVALID, name + ": " + field + " must be a whole number, not " + p.getString(),
                field, line(p.currentLocation()), column(p.currentLocation()), null);
        }
        return p.getIntValue();
    }

    private static Session map(byte[] json, String name) throws SessionFormatException {
        try {
            return SessionJson.MAPPER.readValue(json, Session.class);
        } catch (JacksonException e) {
            throw translate(e, name);
        }
    }

    /** Checks what the records cannot check one by one ({@link SessionChecks}). */
    private static void validate(Session s, String name) throws SessionFormatException {
        try {
            SessionChecks.check(s);
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            int colon = m.indexOf(": ");
            throw invalid(name, colon < 0 ? null : m.substring(0, colon), colon < 0 ? m : m.substring(colon + 2));
        }
    }

    private static SessionFormatException invalid(String name, String field, String what) {
        return new SessionFormatException(SessionFormatException.Kind.INVALID, name + ": " + (field == null ? "" : field + ": ") + what, field, -1, -1, null);
    }

    /** A Jackson failure as a message for the user: the field path, line and column, and the reason, without Java class names. */
    static SessionFormatException translate(JacksonException e, String name) {
        TokenStreamLocation loc = e.getLocation();
        int line = line(loc), col = column(loc);
        String path = path(e);
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String reason;
        SessionFormatException.Kind kind;
        if (e instanceof tools.jackson.core.exc.StreamReadException) {
            kind = SessionFormatException.Kind.SYNTAX;
            String m = e.getOriginalMessage();
            if (m != null && m.contains("end-of-input")) reason = "the file ends early (truncated?): " + firstLine(m);
            else reason = "not valid JSON: " + firstLine(m);
        } else {
            kind = SessionFormatException.Kind.INVALID;
            if (root != e && (root instanceof IllegalArgumentException || root instanceof IllegalStateException) && root.getMessage() != null) {
                reason = root.getMessage();
            } else if (root instanceof NullPointerException) {
                reason = "a required value is missing";
            } else {
                reason = firstLine(e.getOriginalMessage()).replaceAll("`[a-z0-9_.]+\\.([A-Za-z0-9_$]+)`", "$1");
            }
        }
        StringBuilder sb = new StringBuilder(name).append(": ");
        if (path != null && !path.isEmpty()) sb.append(path).append(": ");
        sb.append(reason);
        if (line > 0) sb.append(" (line ").append(line).append(", column ").append(col).append(')');
        return new SessionFormatException(kind, sb.toString(), path, line, col, e);
    }

    private static String path(JacksonException e) {
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? null : sb.toString();
    }

    private static String firstLine(String m) {
        if (m == null) return "unknown problem";
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static int line(TokenStreamLocation l) { return l == null ? -1 : l.getLineNr(); }

    private static int column(TokenStreamLocation l) { return l == null ? -1 : l.getColumnNr(); }

    // ---- writing ----

    /** The bytes {@link #write} writes: {@code s} as UTF-8 JSON, with every secret removed. */
    public static byte[] toBytes(Session s) {
        JsonNode tree = SessionJson.MAPPER.valueToTree(s);
        redactStrings(tree);
        return SessionJson.MAPPER.writeValueAsBytes(tree);
    }

    /**
     * Saves {@code s} to {@code file} atomically, stamped as modified now by this nbdscope; the previous file
     * becomes {@link #backupOf backupOf(file)}. Returns the session as written (with its new timestamps).
     *
     * @throws IOException when it cannot be saved; the message says why, and the old file is untouched
     */
    public static Session write(Path file, Session s) throws IOException {
        Instant now = Instant.now();
        Session stamped = s.stamped(nbdscopeVersion(), now);
        writeAtomically(file, toBytes(stamped), true);
        return stamped;
    }

    /**
     * Writes {@code bytes} to {@code file} atomically (temporary file in the same folder, fsync, rename,
     * fsync of the folder); with {@code backup} the previous version is kept as {@link #backupOf}. Exports
     * use it too. A failure leaves the old file as it was and says why.
     */
    public static void writeAtomically(Path file, byte[] bytes, boolean backup) throws IOException {
        writeAtomically(file, out -> out.write(bytes), backup);
    }

    /** What a streaming {@link #writeAtomically(Path, Content, boolean)} writes; it leaves {@code out} open. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * As {@link #writeAtomically(Path, byte[], boolean)}, with the content streamed into the temporary file
     * as {@code content} writes it, never held whole in memory (a CSV of ten million extents is ~400 MB).
     */
    public static void writeAtomically(Path file, Content content, boolean backup) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        boolean existed = Files.exists(abs);
        Path tmp = null;
        Path bakTmp = null;
        try {
            if (existed && Files.isDirectory(abs)) throw new FileSystemException(abs.toString(), null, "it is a folder");
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            setPermissions(tmp, existed ? abs : null);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            if (existed && backup) {
                Path bak = backupOf(abs);
                bakTmp = dir.resolve("." + bak.getFileName() + "." + Long.toHexString(System.nanoTime()) + ".tmp");
                try {
                    Files.createLink(bakTmp, abs);
                } catch (UnsupportedOperationException | FileSystemException e) {
                    Files.copy(abs, bakTmp, StandardCopyOption.COPY_ATTRIBUTES);
                    try (FileChannel ch = FileChannel.open(bakTmp, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                }
                Files.move(bakTmp, bak, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                bakTmp = null;
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            tmp = null;
            fsyncDirectory(dir);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException("cannot save " + abs + ": " + reason(e) + "; "
                + (existed ? "the previous file is unchanged" : "nothing was written"), e);
        } finally {
            deleteQuietly(tmp);
            deleteQuietly(bakTmp);
        }
    }

    private static void setPermissions(Path tmp, Path like) throws IOException {
        PosixFileAttributeView v = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (v == null) return;
        Set<PosixFilePermission> p = like != null ? Files.getPosixFilePermissions(like) : PosixFilePermissions.fromString("rw-r--r--");
        v.setPermissions(p);
    }

    private static void fsyncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can open or flush a folder; the rename itself is atomic
        }
    }

    private static void deleteQuietly(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort: a stray temporary file is harmless and named as one
        }
    }

    /** Why a save failed, in words: "no space left on the device", "the folder is read-only", … */
    static String reason(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t instanceof FileSystemException f ? f.getReason() : t.getMessage();
            if (m == null) m = "";
            String l = m.toLowerCase(java.util.Locale.ROOT);
            if (l.contains("no space left")) return "no space left on the device";
            if (l.contains("quota")) return "disk quota exceeded";
            if (l.contains("read-only file system")) return "the file system is read-only";
            if (t instanceof AccessDeniedException || l.contains("permission denied") || l.contains("access denied")) {
                return "permission denied (is the folder read-only?)";
            }
            if (t instanceof NoSuchFileException) return "the folder does not exist";
            if (t.getCause() == null || t.getCause() == t) return m.isEmpty() ? t.toString() : m;
        }
        return e.toString();
    }

    private static void redactStrings(JsonNode n) {
        if (n instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.properties().iterator();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                JsonNode v = e.getValue();
                if (v.isString()) {
                    String s = v.asString();
                    String r = Secrets.redactText(s);
                    if (!r.equals(s)) e.setValue(StringNode.valueOf(r));
                } else {
                    redactStrings(v);
                }
            }
        } else if (n != null && n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                JsonNode v = n.get(i);
                if (v.isString()) {
                    String r = Secrets.redactText(v.asString());
                    if (!r.equals(v.asString())) ((tools.jackson.databind.node.ArrayNode) n).set(i, StringNode.valueOf(r));
                } else {
                    redactStrings(v);
                }
            }
        }
    }
}
