package org.nbdscope.engine.image.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Writes small, valid qcow2 images in plain Java (no qemu needed), with chosen cluster states, so parser
 * and hostile-input tests run everywhere. Layout: header cluster, refcount table, one refcount block
 * (16-bit refcounts), L1 table, L2 tables, data clusters.
 */
public final class Qcow2Builder {
    static final long COPIED = 1L << 63;
    static final long COMPRESSED = 1L << 62;

    private final int clusterBits;
    private final long clusterSize;
    private final long size;
    private int version = 3;
    private boolean extL2;
    private long incompatible;
    private long compatible;
    private String backing;
    private String backingFormat;
    private String dataFile;
    private final List<String[]> featureNames = new ArrayList<>();
    private final TreeMap<Long, Spec> entries = new TreeMap<>();

    private record Spec(String kind, long entry, long bitmap, byte fill) {}

    private Qcow2Builder(int clusterBits, long size) {
        this.clusterBits = clusterBits;
        this.clusterSize = 1L << clusterBits;
        this.size = size;
    }

    public static Qcow2Builder create(int clusterBits, long size) { return new Qcow2Builder(clusterBits, size); }

    public Qcow2Builder version(int v) { version = v; return this; }

    public Qcow2Builder extendedL2() { extL2 = true; incompatible |= Qcow2Header.INCOMPAT_EXTL2; return this; }

    public Qcow2Builder incompatible(long bits) { incompatible |= bits; return this; }

    public Qcow2Builder compatible(long bits) { compatible |= bits; return this; }

    public Qcow2Builder backing(String name, String format) { backing = name; backingFormat = format; return this; }

    public Qcow2Builder dataFile(String name) { dataFile = name; incompatible |= Qcow2Header.INCOMPAT_DATA_FILE; return this; }

    /** Adds a feature-name table entry (type 0 incompatible, 1 compatible, 2 autoclear). */
    public Qcow2Builder featureName(int type, int bit, String name) {
        featureNames.add(new String[] {String.valueOf(type), String.valueOf(bit), name});
        return this;
    }

    /** Guest cluster {@code c} allocated, filled with {@code fill}. */
    public Qcow2Builder normal(long c, int fill) { entries.put(c, new Spec("normal", 0, 0, (byte) fill)); return this; }

    /** Guest cluster {@code c} reads as zero, no host cluster. */
    public Qcow2Builder zeroPlain(long c) { entries.put(c, new Spec("zeroPlain", 0, 0, (byte) 0)); return this; }

    /** Guest cluster {@code c} reads as zero, with a preallocated host cluster. */
    public Qcow2Builder zeroAlloc(long c) { entries.put(c, new Spec("zeroAlloc", 0, 0, (byte) 0)); return this; }

    /** Guest cluster {@code c} compressed (the compressed bytes are not valid zlib; mapping never inflates). */
    public Qcow2Builder compressed(long c) { entries.put(c, new Spec("compressed", 0, 0, (byte) 0x5a)); return this; }

    /** Extended L2: subcluster allocation and zero masks, with a host cluster when {@code host}. */
    public Qcow2Builder sub(long c, long allocMask, long zeroMask, boolean host) {
        entries.put(c, new Spec(host ? "subHost" : "subPlain", 0, (zeroMask << 32) | allocMask, (byte) 0x33));
        return this;
    }

    /** A literal L2 entry (and extended bitmap), for hostile tests. */
    public Qcow2Builder rawEntry(long c, long entry, long bitmap) { entries.put(c, new Spec("raw", entry, bitmap, (byte) 0)); return this; }

    public long clusterSize() { return clusterSize; }

    /** Where header fields live, for patching. */
    public static final int OFF_VERSION = 4, OFF_BACKING_OFFSET = 8, OFF_BACKING_SIZE = 16, OFF_CLUSTER_BITS = 20,
        OFF_SIZE = 24, OFF_CRYPT = 32, OFF_L1_SIZE = 36, OFF_L1_OFFSET = 40, OFF_REFTABLE_OFFSET = 48,
        OFF_REFTABLE_CLUSTERS = 56, OFF_NB_SNAPSHOTS = 60, OFF_SNAPSHOTS_OFFSET = 64, OFF_INCOMPAT = 72,
        OFF_REFCOUNT_ORDER = 96, OFF_HEADER_LENGTH = 100;

    public byte[] build() {
        int entrySize = extL2 ? 16 : 8;
        long l2Entries = clusterSize / entrySize;
        long coverage = clusterSize * l2Entries;
        long l1Size = (size + coverage - 1) / coverage;
        long l1Clusters = Math.max(1, (l1Size * 8 + clusterSize - 1) / clusterSize);
        long next = 3 + l1Clusters;
        TreeMap<Long, Long> l2Tables = new TreeMap<>();
        for (long c : entries.keySet()) {
            long l1 = c / l2Entries;
            if (!l2Tables.containsKey(l1)) l2Tables.put(l1, (next++) * clusterSize);
        }
        TreeMap<Long, Long> hosts = new TreeMap<>();
        for (var e : entries.entrySet()) {
            String k = e.getValue().kind();
            if (k.equals("normal") || k.equals("zeroAlloc") || k.equals("subHost") || k.equals("compressed")) {
                hosts.put(e.getKey(), (next++) * clusterSize);
            }
        }
        long clusters = next;
        if (clusters > clusterSize / 2) throw new IllegalStateException("builder supports one refcount block");
        ByteBuffer b = ByteBuffer.allocate((int) (clusters * clusterSize));
        // header
        b.putInt(0, Qcow2Header.MAGIC).putInt(OFF_VERSION, version).putInt(OFF_CLUSTER_BITS, clusterBits).putLong(OFF_SIZE, size)
            .putInt(OFF_L1_SIZE, (int) l1Size).putLong(OFF_L1_OFFSET, 3 * clusterSize)
            .putLong(OFF_REFTABLE_OFFSET, clusterSize).putInt(OFF_REFTABLE_CLUSTERS, 1);
        int headerLength = version == 3 ? 104 : 72;
        if (version == 3) {
            b.putLong(OFF_INCOMPAT, incompatible).putLong(80, compatible).putInt(OFF_REFCOUNT_ORDER, 4).putInt(OFF_HEADER_LENGTH, headerLength);
        }
        int off = headerLength;
        if (backingFormat != null) off = ext(b, off, Qcow2Header.EXT_BACKING_FORMAT, backingFormat.getBytes(StandardCharsets.UTF_8));
        if (dataFile != null) off = ext(b, off, Qcow2Header.EXT_DATA_FILE, dataFile.getBytes(StandardCharsets.UTF_8));
        if (!featureNames.isEmpty()) {
            byte[] t = new byte[48 * featureNames.size()];
            for (int i = 0; i < featureNames.size(); i++) {
                String[] f = featureNames.get(i);
                t[48 * i] = (byte) Integer.parseInt(f[0]);
                t[48 * i + 1] = (byte) Integer.parseInt(f[1]);
                byte[] n = f[2].getBytes(StandardCharsets.UTF_8);
                System.arraycopy(n, 0, t, 48 * i + 2, Math.min(46, n.length));
            }
            off = ext(b, off, Qcow2Header.EXT_FEATURE_TABLE, t);
        }
        off += 8; // end marker (zeroes)
        if (backing != null) {
            byte[] n = backing.getBytes(StandardCharsets.UTF_8);
            b.putLong(OFF_BACKING_OFFSET, off).putInt(OFF_BACKING_SIZE, n.length);
            b.put(off, n);
        }
        // refcounts: table entry 0 -> block at cluster 2; every cluster used once
        b.putLong((int) clusterSize, 2 * clusterSize);
        for (long c = 0; c < clusters; c++) b.putShort((int) (2 * clusterSize + 2 * c), (short) 1);
        // L1 and L2
        for (var t : l2Tables.entrySet()) b.putLong((int) (3 * clusterSize + 8 * t.getKey()), t.getValue() | COPIED);
        for (var e : entries.entrySet()) {
            long c = e.getKey();
            Spec s = e.getValue();
            long at = l2Tables.get(c / l2Entries) + (c % l2Entries) * entrySize;
            Long host = hosts.get(c);
            long entry = switch (s.kind()) {
                case "normal", "subHost" -> host | COPIED;
                case "zeroPlain" -> 1;
                case "zeroAlloc" -> host | COPIED | 1;
                case "compressed" -> {
                    int x = 62 - (clusterBits - 8);
                    yield COMPRESSED | host | (0L << x);
                }
                case "subPlain" -> 0;
                default -> s.entry();
            };
            b.putLong((int) at, entry);
            if (extL2) b.putLong((int) at + 8, s.kind().equals("raw") || s.kind().startsWith("sub") ? s.bitmap() : s.kind().equals("normal") ? 0xffffffffL : 0);
            if (host != null && (s.kind().equals("normal") || s.kind().equals("subHost") || s.kind().equals("compressed"))) {
                byte[] fill = new byte[(int) clusterSize];
                Arrays.fill(fill, s.fill());
                b.put((int) (long) host, fill);
            }
        }
        return b.array();
    }

    private static int ext(ByteBuffer b, int off, long type, byte[] data) {
        b.putInt(off, (int) type).putInt(off + 4, data.length);
        b.put(off + 8, data);
        return off + 8 + ((data.length + 7) & ~7);
    }

    public Path write(Path file) throws IOException {
        Files.write(file, build());
        return file;
    }

    /** Overwrites a big-endian field of an image file. */
    public static void patchInt(Path file, long offset, int value) throws IOException {
        patch(file, offset, ByteBuffer.allocate(4).putInt(value).array());
    }

    public static void patchLong(Path file, long offset, long value) throws IOException {
        patch(file, offset, ByteBuffer.allocate(8).putLong(value).array());
    }

    public static void patch(Path file, long offset, byte[] bytes) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bytes), offset);
        }
    }
}
