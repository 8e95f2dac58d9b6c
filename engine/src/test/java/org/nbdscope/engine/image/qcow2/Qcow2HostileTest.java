package org.nbdscope.engine.image.qcow2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.nbdscope.engine.image.qcow2.Qcow2Builder.OFF_BACKING_SIZE;
import static org.nbdscope.engine.image.qcow2.Qcow2Builder.OFF_CLUSTER_BITS;
import static org.nbdscope.engine.image.qcow2.Qcow2Builder.OFF_HEADER_LENGTH;
import static org.nbdscope.engine.image.qcow2.Qcow2Builder.OFF_L1_OFFSET;
import static org.nbdscope.engine.image.qcow2.Qcow2Builder.OFF_L1_SIZE;
import static org.nbdscope.engine.image.qcow2.Qcow2Builder.OFF_NB_SNAPSHOTS;
import static org.nbdscope.engine.image.qcow2.Qcow2Builder.OFF_REFCOUNT_ORDER;
import static org.nbdscope.engine.image.qcow2.Qcow2Builder.OFF_REFTABLE_OFFSET;
import static org.nbdscope.engine.image.qcow2.Qcow2Builder.OFF_SIZE;
import static org.nbdscope.engine.image.qcow2.Qcow2Builder.OFF_SNAPSHOTS_OFFSET;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nbdscope.engine.image.ImageException;
import org.nbdscope.engine.image.ImageOptions;
import org.nbdscope.engine.image.ImageSource;
import org.nbdscope.engine.image.ImageSources;
import org.nbdscope.engine.image.QemuMap;
import org.nbdscope.engine.source.SourceException;

/** Corrupt and hostile qcow2 images: each fails with an {@link ImageException} naming the field and its value. */
class Qcow2HostileTest {
    @TempDir Path dir;

    private Path image(String name, Qcow2Builder b) throws Exception {
        return b.write(dir.resolve(name));
    }

    private Path small(String name) throws Exception {
        return image(name, Qcow2Builder.create(9, 64 << 10).normal(3, 0x11).zeroPlain(5));
    }

    /** Opening and mapping fails with an ImageException; returns an assertion on its message. */
    private AbstractThrowableAssert<?, ? extends Throwable> fails(Path p) {
        return assertThatThrownBy(() -> {
            try (ImageSource s = ImageSources.open(p, ImageOptions.defaults())) {
                QemuMap.entries(s);
            }
        }).isInstanceOf(ImageException.class).isInstanceOf(SourceException.class);
    }

    @Test
    void truncatedHeaders() throws Exception {
        Path p = small("t.qcow2");
        byte[] all = Files.readAllBytes(p);
        Files.write(p, Arrays.copyOf(all, 50));
        fails(p).hasMessageContaining("truncated qcow2 header").hasMessageContaining("50 bytes");
        Files.write(p, Arrays.copyOf(all, 90));
        fails(p).hasMessageContaining("truncated qcow2 version 3 header").hasMessageContaining("90 bytes");
    }

    @Test
    void clusterBitsOutOfRange() throws Exception {
        for (int bits : new int[] {0, 8, 22, 63, -1}) {
            Path p = small("cb" + bits + ".qcow2");
            Qcow2Builder.patchInt(p, OFF_CLUSTER_BITS, bits);
            fails(p).hasMessageContaining("cluster_bits is " + Integer.toUnsignedString(bits));
        }
    }

    @Test
    void absurdL1Size() throws Exception {
        Path p = small("l1.qcow2");
        Qcow2Builder.patchInt(p, OFF_L1_SIZE, 0x7fffffff);
        fails(p).hasMessageContaining("l1_size is 2147483647");
        Qcow2Builder.patchInt(p, OFF_L1_SIZE, 4_000_000);
        fails(p).hasMessageContaining("L1 table").hasMessageContaining("runs past the end of the file");
        Qcow2Builder.patchInt(p, OFF_L1_SIZE, 0);
        fails(p).hasMessageContaining("l1_size is 0, too small");
    }

    @Test
    void hugeVirtualSize() throws Exception {
        Path p = small("size.qcow2");
        Qcow2Builder.patchLong(p, OFF_SIZE, -512);
        fails(p).hasMessageContaining("field size is 18446744073709551104");
        Qcow2Builder.patchLong(p, OFF_SIZE, 1L << 62);
        fails(p).hasMessageContaining("field size is 4611686018427387904");
    }

    @Test
    void tableOffsetsPastTheEndOrUnaligned() throws Exception {
        Path p = small("off.qcow2");
        Qcow2Builder.patchLong(p, OFF_L1_OFFSET, 1L << 40);
        fails(p).hasMessageContaining("l1_table_offset 1099511627776").hasMessageContaining("runs past the end of the file");
        Qcow2Builder.patchLong(p, OFF_L1_OFFSET, 3 * 512 + 8);
        fails(p).hasMessageContaining("l1_table_offset is 1544, not aligned");
        Path r = small("ref.qcow2");
        Qcow2Builder.patchLong(r, OFF_REFTABLE_OFFSET, 512L << 30);
        fails(r).hasMessageContaining("refcount table").hasMessageContaining("runs past the end");
        Path s = small("snap.qcow2");
        Qcow2Builder.patchInt(s, OFF_NB_SNAPSHOTS, 1);
        Qcow2Builder.patchLong(s, OFF_SNAPSHOTS_OFFSET, 1000);
        fails(s).hasMessageContaining("snapshots_offset is 1000, not aligned");
        Qcow2Builder.patchLong(s, OFF_SNAPSHOTS_OFFSET, 1 << 20);
        fails(s).hasMessageContaining("snapshot table").hasMessageContaining("runs past the end");
        Qcow2Builder.patchInt(s, OFF_NB_SNAPSHOTS, 70000);
        fails(s).hasMessageContaining("nb_snapshots is 70000");
    }

    @Test
    void l1EntryPointingOutsideTheFile() throws Exception {
        Path p = small("l1e.qcow2");
        Qcow2Builder.patchLong(p, 3 * 512, (1L << 40) | Qcow2Builder.COPIED);
        fails(p).hasMessageContaining("L2 table of L1 entry 0 at offset 1099511627776").hasMessageContaining("lies outside the file");
        Path u = image("l1u.qcow2", Qcow2Builder.create(16, 1 << 20).normal(1, 1));
        Qcow2Builder.patchLong(u, 3L << 16, (4L << 16) + 4096 | Qcow2Builder.COPIED);
        fails(u).hasMessageContaining("L1 entry 0 points to an L2 table at offset 266240, which is not aligned to the cluster size 65536");
    }

    @Test
    void l2EntryPointingOutsideTheFile() throws Exception {
        Path p = image("l2.qcow2", Qcow2Builder.create(9, 64 << 10).rawEntry(2, (1L << 45) | Qcow2Builder.COPIED, 0));
        fails(p).hasMessageContaining("L2 entry 2").hasMessageContaining("points to offset 35184372088832, outside the file");
        Path u = image("l2u.qcow2", Qcow2Builder.create(16, 1 << 20).normal(1, 1).rawEntry(2, (5L << 16) + 4096 | Qcow2Builder.COPIED, 0));
        fails(u).hasMessageContaining("L2 entry 2").hasMessageContaining("not aligned to the cluster size 65536");
        Path c = image("l2c.qcow2", Qcow2Builder.create(16, 1 << 20).rawEntry(3, Qcow2Builder.COMPRESSED | (1L << 39), 0));
        fails(c).hasMessageContaining("compressed data at offset 549755813888, outside the file");
    }

    @Test
    void zeroFlagInVersion2AndBadSubclusterBitmaps() throws Exception {
        Path v2 = image("v2.qcow2", Qcow2Builder.create(9, 64 << 10).version(2).zeroPlain(4));
        fails(v2).hasMessageContaining("zero flag, which a version 2 image cannot have");
        Path both = image("xl2.qcow2", Qcow2Builder.create(14, 1 << 20).extendedL2().sub(1, 0b101, 0b100, true));
        fails(both).hasMessageContaining("both allocated and zero").hasMessageContaining("bitmap 0x400000005");
        Path unalloc = image("xl2u.qcow2", Qcow2Builder.create(14, 1 << 20).extendedL2().rawEntry(2, 0, 0b1));
        fails(unalloc).hasMessageContaining("is unallocated but its subcluster bitmap 0x1");
        Path small = image("xl2s.qcow2", Qcow2Builder.create(13, 1 << 20).extendedL2());
        fails(small).hasMessageContaining("cluster_bits is 13");
    }

    @Test
    void unknownIncompatibleFeatureBits() throws Exception {
        Path named = image("named.qcow2", Qcow2Builder.create(9, 64 << 10).incompatible(1L << 5).featureName(0, 5, "time travel"));
        fails(named).hasMessageContaining("unsupported qcow2 incompatible feature 'time travel'").hasMessageContaining("0x20");
        Path bare = image("bare.qcow2", Qcow2Builder.create(9, 64 << 10).incompatible(1L << 40 | 1L << 63));
        fails(bare).hasMessageContaining("features bit 40, bit 63");
    }

    @Test
    void otherHeaderFields() throws Exception {
        Path p = small("order.qcow2");
        Qcow2Builder.patchInt(p, OFF_REFCOUNT_ORDER, 7);
        fails(p).hasMessageContaining("refcount_order is 7");
        Path h = small("hl.qcow2");
        Qcow2Builder.patchInt(h, OFF_HEADER_LENGTH, 600);
        fails(h).hasMessageContaining("header_length is 600, more than the cluster size 512");
        Qcow2Builder.patchInt(h, OFF_HEADER_LENGTH, 96);
        fails(h).hasMessageContaining("header_length is 96");
        Path c = image("ct.qcow2", Qcow2Builder.create(9, 64 << 10).incompatible(Qcow2Header.INCOMPAT_COMPRESSION));
        fails(c).hasMessageContaining("compression type feature bit is set but compression_type is 0");
        Path e = image("ext.qcow2", Qcow2Builder.create(9, 64 << 10).backing("b.qcow2", "qcow2"));
        Qcow2Builder.patchInt(e, 104 + 4, 100000);
        fails(e).hasMessageContaining("header extension 0xe2792aca").hasMessageContaining("has length 100000");
        Path b = image("bname.qcow2", Qcow2Builder.create(16, 64 << 10).backing("b.qcow2", null));
        Qcow2Builder.patchInt(b, OFF_BACKING_SIZE, 5000);
        fails(b).hasMessageContaining("backing_file_size is 5000");
        Path d = image("df.qcow2", Qcow2Builder.create(9, 64 << 10).incompatible(Qcow2Header.INCOMPAT_DATA_FILE));
        fails(d).hasMessageContaining("names no data file");
    }

    @Test
    void backingLoops() throws Exception {
        image("a.qcow2", Qcow2Builder.create(9, 64 << 10).backing("b.qcow2", "qcow2"));
        Path b = image("b.qcow2", Qcow2Builder.create(9, 64 << 10).backing("a.qcow2", "qcow2"));
        fails(dir.resolve("a.qcow2")).hasMessageContaining("backing loop: a.qcow2 -> b.qcow2 -> a.qcow2");
        fails(b).hasMessageContaining("backing loop: b.qcow2 -> a.qcow2 -> b.qcow2");
        Path self = image("self.qcow2", Qcow2Builder.create(9, 64 << 10).backing("./self.qcow2", null));
        fails(self).hasMessageContaining("backing loop: self.qcow2 -> ./self.qcow2");
    }

    @Test
    void backingDepthIsCapped() throws Exception {
        image("c0.qcow2", Qcow2Builder.create(9, 64 << 10));
        image("c1.qcow2", Qcow2Builder.create(9, 64 << 10).backing("c0.qcow2", "qcow2"));
        Path top = image("c2.qcow2", Qcow2Builder.create(9, 64 << 10).backing("c1.qcow2", "qcow2"));
        assertThatThrownBy(() -> ImageSources.open(top, ImageOptions.defaults().withMaxBackingDepth(1)))
            .isInstanceOf(ImageException.class).hasMessageContaining("deeper than the limit of 1").hasMessageContaining("'c0.qcow2'");
        try (ImageSource s = ImageSources.open(top, ImageOptions.defaults().withMaxBackingDepth(2))) {
            assertThat(s.chain()).hasSize(3);
        }
    }

    @Test
    void backingNamesThatEscapeOrNameAProtocol() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("sub"));
        Qcow2Builder.create(9, 64 << 10).write(dir.resolve("outside.qcow2"));
        String[][] cases = {
            {"../outside.qcow2", "outside the image's directory"},
            {dir.resolve("outside.qcow2").toString(), "outside the image's directory"},
            {"/etc/passwd", "outside the image's directory"},
            {"nbd://127.0.0.1:10809/x", "names the protocol 'nbd:'"},
            {"http://example.invalid/disk.qcow2", "names the protocol 'http:'"},
            {"nbd:unix:/tmp/s", "names the protocol 'nbd:'"},
            {"json:{\"driver\":\"file\",\"filename\":\"/etc/passwd\"}", "json: specification"},
            {"missing.qcow2", "does not exist"},
            {"sub-inner/../../outside.qcow2", "outside the image's directory"},
        };
        int i = 0;
        for (String[] c : cases) {
            Path p = image("sub/e" + (i++) + ".qcow2", Qcow2Builder.create(9, 64 << 10).backing(c[0], null));
            fails(p).hasMessageContaining(c[1]);
        }
        Files.createSymbolicLink(sub.resolve("link.qcow2"), dir.resolve("outside.qcow2"));
        Path viaLink = image("sub/l.qcow2", Qcow2Builder.create(9, 64 << 10).backing("link.qcow2", null));
        fails(viaLink).hasMessageContaining("symbolic link");
        Path dataEscape = image("sub/d.qcow2", Qcow2Builder.create(9, 64 << 10).dataFile("../outside.qcow2"));
        fails(dataEscape).hasMessageContaining("external data file '../outside.qcow2'").hasMessageContaining("outside the image's directory");
    }

    @Test
    void unsupportedBackingFormat() throws Exception {
        Path p = image("vmdk.qcow2", Qcow2Builder.create(9, 64 << 10).backing("x.vmdk", "vmdk"));
        fails(p).hasMessageContaining("has format 'vmdk'");
        Files.write(dir.resolve("notq.img"), new byte[4096]);
        Path q = image("q.qcow2", Qcow2Builder.create(9, 64 << 10).backing("notq.img", "qcow2"));
        fails(q).hasMessageContaining("no qcow2 magic");
    }

    @Test
    void dirtyAndCorruptImagesStillOpenReadOnly() throws Exception {
        Path p = image("dc.qcow2", Qcow2Builder.create(9, 64 << 10).normal(1, 7)
            .incompatible(Qcow2Header.INCOMPAT_DIRTY | Qcow2Header.INCOMPAT_CORRUPT));
        try (ImageSource s = ImageSources.open(p, ImageOptions.defaults())) {
            assertThat(s.details().get("Dirty")).startsWith("yes");
            assertThat(s.details().get("Corrupt")).startsWith("yes");
            assertThat(s.details().get("Incompatible features")).isEqualTo("dirty, corrupt");
            assertThat(QemuMap.entries(s)).isNotEmpty();
        }
    }

    @Test
    void notAQcow2FileIsRaw() throws Exception {
        Path p = dir.resolve("tiny");
        Files.write(p, new byte[] {'Q', 'F'});
        try (ImageSource s = ImageSources.open(p, ImageOptions.defaults())) {
            assertThat(s.format()).isEqualTo("raw");
            assertThat(s.size()).isEqualTo(2);
        }
        assertThatThrownBy(() -> ImageSources.open(dir, ImageOptions.defaults())).isInstanceOf(ImageException.class)
            .hasMessageContaining("is a directory");
        assertThatThrownBy(() -> ImageSources.open(dir.resolve("nope"), ImageOptions.defaults())).isInstanceOf(ImageException.class)
            .hasMessageContaining("No such file or directory");
    }
}
