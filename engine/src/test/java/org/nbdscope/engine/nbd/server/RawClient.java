package org.nbdscope.engine.nbd.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.nbdscope.engine.proto.HandshakeFlags;
import org.nbdscope.engine.proto.NbdCommand;
import org.nbdscope.engine.proto.NbdMagic;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.NbdOptionReply;
import org.nbdscope.engine.proto.NbdReplyType;

/**
 * A minimal NBD client that speaks bytes, for testing the server without the engine's client: every
 * field is written and read by hand, so tests can also send what a well-behaved client never would.
 * Reads time out after 10 s, so a stuck server fails a test instead of hanging it.
 */
final class RawClient implements AutoCloseable {
    private final NbdServer server;
    private Socket socket;
    private SocketChannel unix;
    private DataInputStream in;
    private DataOutputStream out;
    private boolean structured;
    private boolean extended;
    private long cookie = 1;
    HeaderMode mode = HeaderMode.SIMPLE;
    int transmissionFlags;
    long exportSize;

    private RawClient(NbdServer server) throws IOException {
        this.server = server;
        if (server.socketPath() != null) {
            unix = SocketChannel.open(StandardProtocolFamily.UNIX);
            unix.connect(UnixDomainSocketAddress.of(server.socketPath()));
            streams(Channels.newInputStream(unix), Channels.newOutputStream(unix));
        } else {
            socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5000);
            socket.setSoTimeout(10_000);
            socket.setTcpNoDelay(true);
            streams(socket.getInputStream(), socket.getOutputStream());
        }
    }

    private void streams(InputStream i, OutputStream o) {
        in = new DataInputStream(new java.io.BufferedInputStream(i));
        out = new DataOutputStream(new java.io.BufferedOutputStream(o));
    }

    /** Connects without reading anything. */
    static RawClient connectRaw(NbdServer server) throws IOException {
        return new RawClient(server);
    }

    /** Connects, checks the greeting and sends {@code FIXED_NEWSTYLE | NO_ZEROES}. */
    static RawClient connect(NbdServer server) throws IOException {
        RawClient c = new RawClient(server);
        c.greeting();
        c.clientFlags(HandshakeFlags.C_FIXED_NEWSTYLE | HandshakeFlags.C_NO_ZEROES);
        return c;
    }

    /** Reads the 18-byte greeting, checks both magics and returns the handshake flags. */
    int greeting() throws IOException {
        long m1 = in.readLong();
        long m2 = in.readLong();
        if (m1 != NbdMagic.NBDMAGIC || m2 != NbdMagic.IHAVEOPT) throw new IOException("bad greeting magics " + Long.toHexString(m1) + " " + Long.toHexString(m2));
        return in.readUnsignedShort();
    }

    void clientFlags(int flags) throws IOException {
        out.writeInt(flags);
        out.flush();
    }

    void raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    byte[] readRaw(int n) throws IOException {
        byte[] b = new byte[n];
        in.readFully(b);
        return b;
    }

    void option(int opt, byte[] data) throws IOException {
        out.writeLong(NbdMagic.IHAVEOPT);
        out.writeInt(opt);
        out.writeInt(data.length);
        out.write(data);
        out.flush();
    }

    record OptReply(int option, int type, byte[] data) {
        boolean error() { return NbdOptionReply.isError(type); }

        String text() { return new String(data, StandardCharsets.UTF_8); }

        int infoType() { return ((data[0] & 0xFF) << 8) | (data[1] & 0xFF); }

        ByteBuffer buffer() { return ByteBuffer.wrap(data); }
    }

    OptReply optionReply() throws IOException {
        long magic = in.readLong();
        if (magic != NbdMagic.OPTION_REPLY) throw new IOException("bad option reply magic " + Long.toHexString(magic));
        int opt = in.readInt();
        int type = in.readInt();
        int len = in.readInt();
        if (len < 0 || len > 1 << 20) throw new IOException("option reply length " + len);
        byte[] data = new byte[len];
        in.readFully(data);
        return new OptReply(opt, type, data);
    }

    /** Reads replies up to and including the final one (ACK or an error). */
    List<OptReply> optionReplies() throws IOException {
        List<OptReply> all = new ArrayList<>();
        while (true) {
            OptReply r = optionReply();
            all.add(r);
            if (r.type() == NbdOptionReply.ACK.code() || r.error()) return all;
        }
    }

    List<OptReply> send(NbdOption opt, byte[] data) throws IOException {
        option(opt.code(), data);
        return optionReplies();
    }

    boolean structuredReplies() throws IOException {
        boolean ok = send(NbdOption.STRUCTURED_REPLY, new byte[0]).getLast().type() == NbdOptionReply.ACK.code();
        structured |= ok;
        return ok;
    }

    boolean extendedHeaders() throws IOException {
        boolean ok = send(NbdOption.EXTENDED_HEADERS, new byte[0]).getLast().type() == NbdOptionReply.ACK.code();
        extended |= ok;
        return ok;
    }

    static byte[] infoData(String name, int... infos) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + n.length + 2 + 2 * infos.length);
        b.putInt(n.length).put(n).putShort((short) infos.length);
        for (int i : infos) b.putShort((short) i);
        return b.array();
    }

    static byte[] metaData(String name, String... queries) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(o);
        try {
            byte[] n = name.getBytes(StandardCharsets.UTF_8);
            d.writeInt(n.length);
            d.write(n);
            d.writeInt(queries.length);
            for (String q : queries) {
                byte[] b = q.getBytes(StandardCharsets.UTF_8);
                d.writeInt(b.length);
                d.write(b);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return o.toByteArray();
    }

    List<OptReply> setMeta(String name, String... queries) throws IOException {
        return send(NbdOption.SET_META_CONTEXT, metaData(name, queries));
    }

    /** Sends GO; on ACK enters transmission with the negotiated header mode. */
    List<OptReply> go(String name, int... infos) throws IOException {
        List<OptReply> r = send(NbdOption.GO, infoData(name, infos));
        if (r.getLast().type() == NbdOptionReply.ACK.code()) {
            for (OptReply x : r) {
                if (x.type() == NbdOptionReply.INFO.code() && x.infoType() == 0) {
                    ByteBuffer b = x.buffer();
                    b.getShort();
                    exportSize = b.getLong();
                    transmissionFlags = b.getShort() & 0xFFFF;
                }
            }
            mode = extended ? HeaderMode.EXTENDED : structured ? HeaderMode.STRUCTURED : HeaderMode.SIMPLE;
        }
        return r;
    }

    /** The whole way in: optional extended/structured, base:allocation, GO. */
    static RawClient open(NbdServer server, HeaderMode mode, String export) throws IOException {
        RawClient c = connect(server);
        if (mode == HeaderMode.EXTENDED && !c.extendedHeaders()) throw new IOException("extended headers refused");
        if (mode == HeaderMode.STRUCTURED && !c.structuredReplies()) throw new IOException("structured replies refused");
        if (mode != HeaderMode.SIMPLE) c.setMeta(export, "base:allocation");
        List<OptReply> r = c.go(export);
        if (r.getLast().error()) throw new IOException("GO failed: " + r.getLast().text());
        return c;
    }

    /** Upgrades to TLS after an ACK to STARTTLS, trusting any certificate (TCP only). */
    OptReply startTls() throws Exception {
        option(NbdOption.STARTTLS.code(), new byte[0]);
        OptReply r = optionReply();
        if (r.type() != NbdOptionReply.ACK.code()) return r;
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new X509TrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
        }}, null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(socket, "localhost", server.port(), true);
        s.setUseClientMode(true);
        s.startHandshake();
        socket = s;
        socket.setSoTimeout(10_000);
        streams(s.getInputStream(), s.getOutputStream());
        structured = false;
        extended = false;
        return r;
    }

    // ---- transmission ----

    void request(int flags, int type, long cookie, long offset, long length, byte[] payload) throws IOException {
        if (mode == HeaderMode.EXTENDED) {
            out.writeInt(NbdMagic.EXTENDED_REQUEST);
            out.writeShort(flags);
            out.writeShort(type);
            out.writeLong(cookie);
            out.writeLong(offset);
            out.writeLong(length);
        } else {
            out.writeInt(NbdMagic.REQUEST);
            out.writeShort(flags);
            out.writeShort(type);
            out.writeLong(cookie);
            out.writeLong(offset);
            out.writeInt((int) length);
        }
        if (payload != null) out.write(payload);
        out.flush();
    }

    /** One reply message: a simple reply ({@code type == -1}) or a chunk. */
    record Chunk(int flags, int type, long cookie, long offset, byte[] payload, int simpleError) {
        boolean done() { return type == -1 || (flags & NbdReplyType.FLAG_DONE) != 0; }
    }

    Chunk chunk(int simpleReadLength) throws IOException {
        int magic = in.readInt();
        if (magic == NbdMagic.SIMPLE_REPLY) {
            int error = in.readInt();
            long c = in.readLong();
            byte[] data = new byte[error == 0 ? simpleReadLength : 0];
            in.readFully(data);
            return new Chunk(0, -1, c, 0, data, error);
        }
        if (magic == NbdMagic.STRUCTURED_REPLY) {
            int flags = in.readUnsignedShort();
            int type = in.readUnsignedShort();
            long c = in.readLong();
            int len = in.readInt();
            byte[] p = new byte[len];
            in.readFully(p);
            return new Chunk(flags, type, c, 0, p, 0);
        }
        if (magic == NbdMagic.EXTENDED_REPLY) {
            int flags = in.readUnsignedShort();
            int type = in.readUnsignedShort();
            long c = in.readLong();
            long off = in.readLong();
            long len = in.readLong();
            if (len < 0 || len > 64 << 20) throw new IOException("extended reply length " + len);
            byte[] p = new byte[(int) len];
            in.readFully(p);
            return new Chunk(flags, type, c, off, p, 0);
        }
        throw new IOException(String.format("bad reply magic 0x%08x", magic));
    }

    /** What one command got back. */
    record Result(long cookie, int error, String message, byte[] data, List<long[]> descriptors, List<Chunk> chunks) {
        boolean ok() { return error == 0; }
    }

    Result cmd(int type, int flags, long offset, long length, byte[] payload) throws IOException {
        long c = cookie++;
        request(flags, type, c, offset, length, payload);
        return result(c, type == NbdCommand.READ.code() ? (int) length : 0, offset, length);
    }

    Result result(long expectCookie, int simpleReadLength, long offset, long length) throws IOException {
        List<Chunk> chunks = new ArrayList<>();
        int error = 0;
        String message = null;
        byte[] data = null;
        List<long[]> descriptors = new ArrayList<>();
        while (true) {
            Chunk ch = chunk(simpleReadLength);
            if (ch.cookie() != expectCookie) throw new IOException("reply for cookie " + ch.cookie() + ", expected " + expectCookie);
            chunks.add(ch);
            ByteBuffer p = ByteBuffer.wrap(ch.payload());
            if (ch.type() == -1) {
                error = ch.simpleError();
                if (error == 0 && simpleReadLength > 0) data = ch.payload();
            } else if (NbdReplyType.isError(ch.type())) {
                error = p.getInt();
                int ml = p.getShort() & 0xFFFF;
                byte[] m = new byte[ml];
                p.get(m);
                message = new String(m, StandardCharsets.UTF_8);
            } else if (ch.type() == NbdReplyType.OFFSET_DATA.code()) {
                if (data == null) data = new byte[(int) length];
                long at = p.getLong();
                p.get(data, (int) (at - offset), p.remaining());
            } else if (ch.type() == NbdReplyType.OFFSET_HOLE.code()) {
                if (data == null) data = new byte[(int) length];
                long at = p.getLong();
                int n = p.getInt();
                java.util.Arrays.fill(data, (int) (at - offset), (int) (at - offset) + n, (byte) 0);
            } else if (ch.type() == NbdReplyType.BLOCK_STATUS.code()) {
                p.getInt();
                while (p.hasRemaining()) descriptors.add(new long[] {p.getInt() & 0xFFFFFFFFL, p.getInt() & 0xFFFFFFFFL});
            } else if (ch.type() == NbdReplyType.BLOCK_STATUS_EXT.code()) {
                p.getInt();
                int n = p.getInt();
                for (int i = 0; i < n; i++) descriptors.add(new long[] {p.getLong(), p.getLong()});
            }
            if (ch.done()) break;
        }
        if (data == null && length == 0 && simpleReadLength == 0 && error == 0) data = new byte[0];
        return new Result(expectCookie, error, message, data, descriptors, chunks);
    }

    Result read(long offset, int length) throws IOException {
        return cmd(NbdCommand.READ.code(), 0, offset, length, null);
    }

    Result write(long offset, byte[] data) throws IOException {
        return cmd(NbdCommand.WRITE.code(), 0, offset, data.length, data);
    }

    Result blockStatus(long offset, long length, int flags) throws IOException {
        return cmd(NbdCommand.BLOCK_STATUS.code(), flags, offset, length, null);
    }

    Result zero(long offset, long length, int flags) throws IOException {
        return cmd(NbdCommand.WRITE_ZEROES.code(), flags, offset, length, null);
    }

    void disconnect() throws IOException {
        request(0, NbdCommand.DISC.code(), cookie++, 0, 0, null);
    }

    /** True when the server closed the connection (EOF or reset) within the read timeout. */
    boolean closedByServer() {
        try {
            while (true) {
                if (in.read() < 0) return true;
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (EOFException e) {
            return true;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) socket.close();
        if (unix != null) unix.close();
    }
}
