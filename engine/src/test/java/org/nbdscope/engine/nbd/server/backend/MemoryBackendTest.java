package org.nbdscope.engine.nbd.server.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.proto.NbdInfo;

class MemoryBackendTest {
    private static final int DATA = 0;
    private static final int ZERO = 2;
    private static final int HOLE = 3;
    private static final int B = MemoryBackend.BLOCK;

    static List<long[]> extents(Backend b, long from) throws Exception {
        List<long[]> out = new ArrayList<>();
        b.extents(from, (len, st) -> {
            out.add(new long[] {len, st});
            return true;
        });
        return out;
    }

    private static ByteBuffer bytes(int n, int v) {
        ByteBuffer b = ByteBuffer.allocate(n);
        for (int i = 0; i < n; i++) b.put(i, (byte) v);
        return b;
    }

    @Test
    void eightExbibytesCostNothingUntilWritten() throws Exception {
        MemoryBackend m = new MemoryBackend(ByteSize.MAX);
        assertThat(m.initState()).isEqualTo(NbdInfo.INIT_ZERO | NbdInfo.INIT_SPARSE);
        assertThat(extents(m, 0)).singleElement().satisfies(e -> assertThat(e).containsExactly(ByteSize.MAX, HOLE));
        m.write(ByteSize.MAX - 10, bytes(10, 7));
        assertThat(m.allocatedBytes()).isEqualTo(B);
        assertThat(extents(m, 0)).extracting(e -> e[1]).containsExactly((long) HOLE, (long) DATA);
        ByteBuffer back = ByteBuffer.allocate(20);
        m.read(ByteSize.MAX - 20, back);
        assertThat(back.array()).containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7);
        assertThat(m.initState()).isZero();
    }

    @Test
    void writesAcrossBlocksReadBackAndZeroBlocksCostNoMemory() throws Exception {
        MemoryBackend m = new MemoryBackend(1L << 30);
        m.write(B - 3, bytes(6, 9));
        assertThat(m.allocatedBytes()).isEqualTo(2L * B);
        ByteBuffer back = ByteBuffer.allocate(10);
        m.read(B - 5, back);
        assertThat(back.array()).containsExactly(0, 0, 9, 9, 9, 9, 9, 9, 0, 0);
        m.write(10L * B, bytes(3 * B, 0));
        assertThat(m.allocatedBytes()).isEqualTo(2L * B);
        assertThat(extents(m, 0)).extracting(e -> e[1]).containsExactly((long) DATA, (long) HOLE, (long) ZERO, (long) HOLE);
        assertThat(m.initState()).isZero();
        m.write(B - 3, bytes(6, 0)); // overwritten with zeroes: the blocks are zero now, still allocated
        assertThat(m.allocatedBytes()).isZero();
        assertThat(m.initState()).isEqualTo(NbdInfo.INIT_ZERO);
    }

    @Test
    void zeroWithAndWithoutHolesAndUnalignedEdges() throws Exception {
        MemoryBackend m = new MemoryBackend(100L * B + 100);
        m.write(0, bytes(100 * B + 100, 1));
        assertThat(m.zero(100, 3L * B, true, true)).isTrue();
        ByteBuffer edge = ByteBuffer.allocate(4);
        m.read(98, edge);
        assertThat(edge.array()).containsExactly(1, 1, 0, 0);
        m.read(3L * B + 98, edge.clear());
        assertThat(edge.array()).containsExactly(0, 0, 1, 1);
        assertThat(extents(m, 0)).extracting(e -> e[1]).containsExactly((long) DATA, (long) HOLE, (long) DATA);
        assertThat(m.zero(10L * B, 90L * B + 100, false, true)).isTrue();
        assertThat(extents(m, 10L * B)).singleElement().satisfies(e -> assertThat(e).containsExactly(90L * B + 100, (long) ZERO));
        m.trim(10L * B, 90L * B + 100);
        assertThat(extents(m, 10L * B)).singleElement().satisfies(e -> assertThat(e).containsExactly(90L * B + 100, (long) HOLE));
        assertThat(m.zero(0, 100L * B + 100, true, true)).isTrue();
        assertThat(m.initState()).isEqualTo(NbdInfo.INIT_ZERO | NbdInfo.INIT_SPARSE);
    }

    @Test
    void extentsStartMidBlockAndStopWhenAsked() throws Exception {
        MemoryBackend m = new MemoryBackend(1L << 40);
        m.write(5L * B, bytes(2 * B, 3));
        List<long[]> first = new ArrayList<>();
        m.extents(5L * B + 7, (len, st) -> {
            first.add(new long[] {len, st});
            return false;
        });
        assertThat(first).singleElement().satisfies(e -> assertThat(e).containsExactly(2L * B - 7, (long) DATA));
    }

    @Test
    void sizeIsChecked() {
        assertThatThrownBy(() -> new MemoryBackend(0)).hasMessageContaining("out of range");
        assertThatThrownBy(() -> new MemoryBackend(Long.MAX_VALUE)).hasMessageContaining("out of range");
    }
}
