package org.nbdscope.engine.nbd.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.nbd.server.backend.Backend;
import org.nbdscope.engine.nbd.server.backend.DemoBackend;
import org.nbdscope.engine.nbd.server.backend.MemoryBackend;
import org.nbdscope.engine.nbd.server.backend.RawFileBackend;
import org.nbdscope.engine.proto.NbdInfo;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.NbdOptionReply;

/** NBD_INFO_INIT_STATE: sent only on request, only when on, and only with bits the backend knows. */
class ZeroFlagTest {
    @TempDir Path dir;
    private NbdServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    private NbdServer serve(Backend b, ServerOptions options) throws Exception {
        server = NbdServer.builder().export("x", b, "", false).options(options).start();
        return server;
    }

    /** The INIT_STATE bits from a GO that asked for them, or -1 when none was sent. */
    private int initState(NbdOption opt) throws Exception {
        try (RawClient c = RawClient.connect(server)) {
            c.structuredReplies();
            List<RawClient.OptReply> r = c.send(opt, RawClient.infoData("x", NbdInfo.INIT_STATE.code()));
            assertThat(r.getLast().type()).isEqualTo(NbdOptionReply.ACK.code());
            for (RawClient.OptReply x : r) {
                if (x.type() == NbdOptionReply.INFO.code() && x.infoType() == NbdInfo.INIT_STATE.code()) {
                    assertThat(x.data()).as("type 4 payload: 16-bit type, 16-bit flags").hasSize(4);
                    return x.buffer().getShort(2) & 0xFFFF;
                }
            }
            return -1;
        }
    }

    @Test
    void freshMemoryDiskIsZeroAndSparseUntilWritten() throws Exception {
        MemoryBackend m = new MemoryBackend(1L << 40);
        serve(m, ServerOptions.defaults());
        assertThat(initState(NbdOption.GO)).isEqualTo(NbdInfo.INIT_ZERO | NbdInfo.INIT_SPARSE);
        assertThat(server.connections().getLast().initStateSent()).isEqualTo(NbdInfo.INIT_ZERO | NbdInfo.INIT_SPARSE);
        try (RawClient c = RawClient.open(server, HeaderMode.STRUCTURED, "x")) {
            assertThat(c.write(1L << 30, new byte[] {0, 0, 0, 0}).ok()).isTrue();
        }
        assertThat(initState(NbdOption.GO)).as("zeroes were written: still zero, no longer sparse").isEqualTo(NbdInfo.INIT_ZERO);
        try (RawClient c = RawClient.open(server, HeaderMode.STRUCTURED, "x")) {
            assertThat(c.write(1L << 30, new byte[] {1}).ok()).isTrue();
        }
        assertThat(initState(NbdOption.GO)).as("after a data write the flag is gone").isZero();
        try (RawClient c = RawClient.open(server, HeaderMode.EXTENDED, "x")) {
            assertThat(c.zero(0, 1L << 40, 0).ok()).isTrue();
        }
        assertThat(initState(NbdOption.INFO)).as("zeroed with holes punched: sparse again").isEqualTo(NbdInfo.INIT_ZERO | NbdInfo.INIT_SPARSE);
    }

    @Test
    void rawFileWithDataHasNoZeroFlagAndAnEmptyOneHasBoth() throws Exception {
        Path empty = dir.resolve("empty.raw");
        try (RandomAccessFile f = new RandomAccessFile(empty.toFile(), "rw")) {
            f.setLength(1L << 30);
        }
        serve(RawFileBackend.open(empty, false), ServerOptions.defaults());
        assertThat(initState(NbdOption.GO)).isEqualTo(NbdInfo.INIT_ZERO | NbdInfo.INIT_SPARSE);
        server.close();

        Path data = dir.resolve("data.raw");
        try (RandomAccessFile f = new RandomAccessFile(data.toFile(), "rw")) {
            f.setLength(1L << 30);
            f.seek(512L << 20);
            f.write(new byte[] {1, 2, 3});
        }
        serve(RawFileBackend.open(data, false), ServerOptions.defaults());
        assertThat(initState(NbdOption.GO)).isZero();
    }

    @Test
    void demoDiskHoldsDataSoItClaimsNothing() throws Exception {
        serve(new DemoBackend(), ServerOptions.defaults());
        assertThat(initState(NbdOption.GO)).isZero();
    }

    @Test
    void switchedOffOrNotAskedForMeansNotSent() throws Exception {
        serve(new MemoryBackend(1 << 20), ServerOptions.defaults().withInitState(false));
        assertThat(initState(NbdOption.GO)).isEqualTo(-1);
        ConnectionRecord r = server.connections().getLast();
        assertThat(r.initStateRequested()).isTrue();
        assertThat(r.initStateSent()).isEqualTo(-1);
        server.close();

        serve(new MemoryBackend(1 << 20), ServerOptions.defaults());
        try (RawClient c = RawClient.connect(server)) {
            List<RawClient.OptReply> r2 = c.go("x", NbdInfo.BLOCK_SIZE.code());
            assertThat(r2).noneMatch(x -> x.type() == NbdOptionReply.INFO.code() && x.infoType() == NbdInfo.INIT_STATE.code());
        }
        assertThat(server.connections().getLast().initStateRequested()).isFalse();
    }
}
