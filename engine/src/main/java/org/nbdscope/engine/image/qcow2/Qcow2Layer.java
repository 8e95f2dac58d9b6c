package org.nbdscope.engine.image.qcow2;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.nbdscope.engine.image.ImageException;
import org.nbdscope.engine.image.ImageFile;
import org.nbdscope.engine.image.Layer;
import org.nbdscope.engine.image.LayerOpener;
import org.nbdscope.engine.image.LayerStatus;
import org.nbdscope.engine.image.raw.RawLayer;
import org.nbdscope.engine.source.SourceDetails;

/**
 * A qcow2 image (version 2 or 3): header and extensions, snapshot list, and cluster status from the
 * L1/L2 tables through a bounded cache, with extended L2 subclusters, zero clusters (plain and
 * preallocated), compressed clusters, an external data file and a backing file. {@link #status} answers
 * like qemu's qcow2 driver plus the generic block layer, so the chain walk matches {@code qemu-img map}.
 */
public final class Qcow2Layer implements Layer {
    static final long L1E_OFFSET_MASK = 0x00fffffffffffe00L;
    static final long L2E_OFFSET_MASK = 0x00fffffffffffe00L;
    static final long REFT_OFFSET_MASK = 0xfffffffffffffe00L;
    static final long OFLAG_COPIED = 1L << 63;
    static final long OFLAG_COMPRESSED = 1L << 62;
    static final long OFLAG_ZERO = 1L;
    /** Metadata cache budget per image. */
    static final long CACHE_BYTES = 32L << 20;
    private static final long L1_PAGE = 64 << 10;

    // subcluster types, as qemu's QCow2SubclusterType
    static final int NORMAL = 0, COMPRESSED_TYPE = 1, ZERO_PLAIN = 2, ZERO_ALLOC = 3, UNALLOCATED_PLAIN = 4, UNALLOCATED_ALLOC = 5;

    private final ImageFile file;
    private final ImageFile dataFile;
    private final Qcow2Header header;
    private final List<Qcow2Snapshot> snapshots;
    private final TableCache cache;
    private final Layer backing;
    private final BackingRef backingRef;
    private final String name;
    private final int clusterBits;
    private final long clusterSize;
    private final int l2Bits;
    private final int entrySize;
    private final boolean extL2;
    private final int subclusterBits;
    private final boolean crypto;
    private final long compressedOffsetMask;
    private volatile Boolean metadataPreallocation;

    private Qcow2Layer(ImageFile file, ImageFile dataFile, Qcow2Header header, List<Qcow2Snapshot> snapshots,
                       Layer backing, BackingRef backingRef) {
        this.file = file;
        this.dataFile = dataFile;
        this.header = header;
        this.snapshots = snapshots;
        this.backing = backing;
        this.backingRef = backingRef;
        this.name = file.path().getFileName().toString();
        this.cache = new TableCache(file, CACHE_BYTES);
        this.clusterBits = header.clusterBits();
        this.clusterSize = header.clusterSize();
        this.entrySize = header.l2EntrySize();
        this.l2Bits = Long.numberOfTrailingZeros(header.l2Entries());
        this.extL2 = header.extendedL2();
        this.subclusterBits = extL2 ? clusterBits - 5 : clusterBits;
        this.crypto = header.cryptMethod() != 0;
        this.compressedOffsetMask = (1L << (62 - (clusterBits - 8))) - 1;
    }

    /**
     * Opens the qcow2 image in {@code file} (which starts with the qcow2 magic); the external data file
     * and the backing file come from {@code opener}. On failure everything opened here is closed again,
     * {@code file} included.
     */
    public static Qcow2Layer open(ImageFile file, LayerOpener opener) {
        ImageFile data = null;
        Layer backing = null;
        try {
            Qcow2Header h = Qcow2Header.read(file);
            List<Qcow2Snapshot> snaps = Qcow2Snapshot.read(file, h);
            data = h.hasDataFile() ? opener.openDataFile(file, h.dataFile()) : file;
            BackingRef ref = h.backingFile() == null ? null : new BackingRef(h.backingFile(), h.backingFormat());
            if (ref != null) backing = opener.openBacking(file, ref);
            return new Qcow2Layer(file, data, h, snaps, backing, ref);
        } catch (RuntimeException e) {
            if (backing != null) backing.close();
            if (data != null && data != file) data.close();
            file.close();
            throw e;
        }
    }

    public Qcow2Header header() { return header; }

    public List<Qcow2Snapshot> snapshots() { return snapshots; }

    /** The file guest clusters live in: the image itself or its external data file. */
    public ImageFile dataFile() { return dataFile; }

    @Override
    public String format() { return "qcow2"; }

    @Override
    public Path path() { return file.path(); }

    @Override
    public ImageFile file() { return file; }

    @Override
    public long length() { return header.size() & ~511L; }

    @Override
    public long virtualSize() { return header.size(); }

    @Override
    public BackingRef backingRef() { return backingRef; }

    @Override
    public Layer backing() { return backing; }

    // ---- status

    @Override
    public LayerStatus status(long offset, long bytes) {
        long coverage = clusterSize << l2Bits;
        long run = Math.min(bytes, coverage - Long.remainderUnsigned(offset, coverage));
        long l1Index = offset >>> (clusterBits + l2Bits);
        long l2Offset = l1Index < header.l1Size() ? l1Entry(l1Index) & L1E_OFFSET_MASK : 0;
        int type;
        long host = 0;
        long len;
        if (l2Offset == 0) {
            type = UNALLOCATED_PLAIN;
            len = run;
        } else {
            if ((l2Offset & (clusterSize - 1)) != 0) {
                throw corrupt("L1 entry " + l1Index + " points to an L2 table at offset " + l2Offset
                    + ", which is not aligned to the cluster size " + clusterSize);
            }
            MemorySegment table = cache.get(l2Offset, clusterSize, "L2 table of L1 entry ", l1Index);
            long end = offset + run;
            long pos = offset;
            long index = (offset >>> clusterBits) & ((1L << l2Bits) - 1);
            int sc = (int) ((offset & (clusterSize - 1)) >>> subclusterBits);
            int scPerCluster = extL2 ? 32 : 1;
            long clusterStart = offset & ~(clusterSize - 1);
            type = -1;
            long expectHost = 0;
            while (pos < end) {
                long entry = Be.u64(table, index * entrySize);
                long bitmap = extL2 ? Be.u64(table, index * entrySize + 8) : 0;
                int ct = clusterType(entry);
                long hostCluster = checkEntry(entry, ct, bitmap, l2Offset, index, clusterStart);
                int st;
                int count;
                if (ct == COMPRESSED_TYPE) {
                    st = COMPRESSED_TYPE;
                    count = scPerCluster - sc;
                } else if (!extL2) {
                    st = ct;
                    count = 1;
                } else {
                    long zeroBits = bitmap >>> 32;
                    long allocBits = bitmap & 0xffffffffL;
                    long bit = 1L << sc;
                    if (ct == NORMAL) {
                        if ((zeroBits & bit) != 0) {
                            st = ZERO_ALLOC;
                            count = ones(zeroBits, sc);
                        } else if ((allocBits & bit) != 0) {
                            st = NORMAL;
                            count = ones(allocBits, sc);
                        } else {
                            st = UNALLOCATED_ALLOC;
                            count = zeros(zeroBits | allocBits, sc);
                        }
                    } else {
                        if ((zeroBits & bit) != 0) {
                            st = ZERO_PLAIN;
                            count = ones(zeroBits, sc);
                        } else {
                            st = UNALLOCATED_PLAIN;
                            count = zeros(zeroBits, sc);
                        }
                    }
                }
                boolean hasHost = st == NORMAL || st == ZERO_ALLOC || st == UNALLOCATED_ALLOC;
                if (type == -1) {
                    type = st;
                    if (hasHost) {
                        host = hostCluster + (offset - clusterStart);
                        expectHost = hostCluster;
                    }
                } else if (st != type || (hasHost && hostCluster != expectHost)) {
                    break;
                }
                pos = Math.min(end, clusterStart + ((long) (sc + count) << subclusterBits));
                if (sc + count < scPerCluster) break;
                index++;
                sc = 0;
                clusterStart += clusterSize;
                expectHost += clusterSize;
            }
            len = pos - offset;
        }
        return flags(type, offset, len, host);
    }

    private LayerStatus flags(int type, long offset, long len, long host) {
        int flags = switch (type) {
            case NORMAL -> DATA | (crypto ? 0 : OFFSET_VALID);
            case ZERO_ALLOC -> ZERO | (crypto ? 0 : OFFSET_VALID);
            case ZERO_PLAIN -> ZERO;
            case UNALLOCATED_ALLOC -> crypto ? 0 : OFFSET_VALID;
            case COMPRESSED_TYPE -> DATA | COMPRESSED;
            default -> 0;
        };
        if ((flags & (DATA | ZERO)) != 0) {
            flags |= ALLOCATED;
        } else if (backingRef == null) {
            flags |= ZERO;
        } else if (backing == null) {
            flags |= UNKNOWN;
        } else if (offset >= backing.length()) {
            flags |= ZERO;
        }
        if (type == NORMAL && !crypto && metadataPreallocation()) {
            // qemu's BDRV_BLOCK_RECURSE: ask the host file whether the preallocated cluster was ever written
            RawLayer.HostRun r = RawLayer.hostStatus(dataFile, host, len);
            len = r.length();
            if (r.zero()) flags |= ZERO;
        }
        return new LayerStatus(len, flags, (flags & OFFSET_VALID) != 0 ? host : 0, dataFile);
    }

    private static int ones(long bits, int from) {
        return Math.min(32 - from, Long.numberOfTrailingZeros(~(bits >>> from)));
    }

    private static int zeros(long bits, int from) {
        return Math.min(32 - from, Long.numberOfTrailingZeros(bits >>> from));
    }

    private int clusterType(long entry) {
        if ((entry & OFLAG_COMPRESSED) != 0) return COMPRESSED_TYPE;
        if ((entry & OFLAG_ZERO) != 0 && !extL2) return (entry & L2E_OFFSET_MASK) != 0 ? ZERO_ALLOC : ZERO_PLAIN;
        if ((entry & L2E_OFFSET_MASK) == 0) {
            // offset 0 is a real offset in an external data file; the copied flag tells it from unallocated
            return header.hasDataFile() && (entry & OFLAG_COPIED) != 0 ? NORMAL : UNALLOCATED_PLAIN;
        }
        return NORMAL;
    }

    /** Checks one L2 entry; returns its host cluster offset (0 when it has none). */
    private long checkEntry(long entry, int ct, long bitmap, long l2Offset, long index, long guestCluster) {
        switch (ct) {
            case COMPRESSED_TYPE -> {
                if (header.hasDataFile()) throw corrupt(where(l2Offset, index, guestCluster) + " is compressed, which an image with an external data file cannot have");
                long h = entry & compressedOffsetMask;
                if (h >= file.size()) {
                    throw corrupt(where(l2Offset, index, guestCluster) + " points to compressed data at offset " + h + ", outside the file (" + file.size() + " bytes)");
                }
                return 0;
            }
            case ZERO_PLAIN, ZERO_ALLOC -> {
                if (header.version() < 3) throw corrupt(where(l2Offset, index, guestCluster) + " has the zero flag, which a version 2 image cannot have (entry " + Be.hex(entry) + ")");
                if (ct == ZERO_PLAIN) return 0;
            }
            case UNALLOCATED_PLAIN -> {
                if (extL2 && (bitmap & 0xffffffffL) != 0) {
                    throw corrupt(where(l2Offset, index, guestCluster) + " is unallocated but its subcluster bitmap " + Be.hex(bitmap) + " marks subclusters allocated");
                }
                return 0;
            }
            default -> { }
        }
        if (extL2 && ((bitmap >>> 32) & bitmap) != 0) {
            throw corrupt(where(l2Offset, index, guestCluster) + " has subclusters both allocated and zero (bitmap " + Be.hex(bitmap) + ")");
        }
        long h = entry & L2E_OFFSET_MASK;
        if ((h & (clusterSize - 1)) != 0) {
            throw corrupt(where(l2Offset, index, guestCluster) + " points to offset " + h + ", which is not aligned to the cluster size " + clusterSize);
        }
        if (header.hasDataFile()) {
            if (h != guestCluster) {
                throw corrupt(where(l2Offset, index, guestCluster) + " points to offset " + h + " of the external data file; it must equal the guest offset");
            }
        } else if (h >= file.size()) {
            throw corrupt(where(l2Offset, index, guestCluster) + " points to offset " + h + ", outside the file (" + file.size() + " bytes)");
        }
        return h;
    }

    private static String where(long l2Offset, long index, long guestCluster) {
        return "L2 entry " + index + " of the L2 table at offset " + l2Offset + " (guest offset " + guestCluster + ")";
    }

    private long l1Entry(long index) {
        long page = index * 8 / L1_PAGE;
        long pageStart = page * L1_PAGE;
        long pageLen = Math.min(L1_PAGE, header.l1Size() * 8 - pageStart);
        MemorySegment s = cache.get(header.l1TableOffset() + pageStart, pageLen, "L1 table", -1);
        return Be.u64(s, index * 8 - pageStart);
    }

    private ImageException corrupt(String what) {
        return new ImageException(name + ": corrupt qcow2 image: " + what);
    }

    // ---- metadata preallocation (qemu's qcow2_detect_metadata_preallocation)

    /**
     * True when far more clusters are referenced than the file occupies on disk: the image was created
     * with {@code preallocation=metadata}, so a data cluster may be a never-written hole in the file.
     */
    public boolean metadataPreallocation() {
        Boolean m = metadataPreallocation;
        if (m == null) {
            synchronized (this) {
                m = metadataPreallocation;
                if (m == null) {
                    m = detectMetadataPreallocation();
                    metadataPreallocation = m;
                }
            }
        }
        return m;
    }

    private boolean detectMetadataPreallocation() {
        long fileLength = (file.size() + 511) & ~511L;
        long realAllocation = file.allocatedBytes();
        if (realAllocation < 0) return false;
        long realClusters = realAllocation / clusterSize;
        long threshold = Math.max(realClusters * 10 / 9, realClusters + 2);
        long endCluster = (fileLength + clusterSize - 1) / clusterSize;
        // qemu counts referenced clusters until it passes the threshold; when there are no more clusters
        // than that, the answer is known without reading a refcount
        if (endCluster <= threshold) return false;
        long count = 0;
        long perBlock = 1L << (clusterBits + 3 - header.refcountOrder());
        for (long i = 0; i < endCluster && count <= threshold; ) {
            if (count + (endCluster - i) <= threshold) return false;
            MemorySegment block = refcountBlock(i >>> Long.numberOfTrailingZeros(perBlock));
            long end = Math.min(endCluster, (i | (perBlock - 1)) + 1);
            if (block == null) {
                i = end;
                continue;
            }
            for (; i < end && count <= threshold; i++) {
                if (refcountIn(block, i & (perBlock - 1)) != 0) count++;
            }
        }
        return count > threshold;
    }

    /** The refcount of host cluster {@code index}. */
    long refcount(long index) {
        int blockBits = clusterBits + 3 - header.refcountOrder();
        MemorySegment block = refcountBlock(index >>> blockBits);
        return block == null ? 0 : refcountIn(block, index & ((1L << blockBits) - 1));
    }

    /** The refcount block of refcount table entry {@code tableIndex}, or null when it has none. */
    private MemorySegment refcountBlock(long tableIndex) {
        long tableEntries = header.refcountTableClusters() * clusterSize / 8;
        if (tableIndex >= tableEntries) return null;
        long page = tableIndex * 8 / L1_PAGE * L1_PAGE;
        long pageLen = Math.min(L1_PAGE, tableEntries * 8 - page);
        MemorySegment t = cache.get(header.refcountTableOffset() + page, pageLen, "refcount table", -1);
        long blockOffset = Be.u64(t, tableIndex * 8 - page) & REFT_OFFSET_MASK;
        if (blockOffset == 0) return null;
        if ((blockOffset & (clusterSize - 1)) != 0) {
            throw corrupt("refcount table entry " + tableIndex + " points to a refcount block at offset " + blockOffset
                + ", which is not aligned to the cluster size " + clusterSize);
        }
        return cache.get(blockOffset, clusterSize, "refcount block of refcount table entry ", tableIndex);
    }

    private long refcountIn(MemorySegment block, long i) {
        int refcountBits = 1 << header.refcountOrder();
        return switch (refcountBits) {
            case 1, 2, 4 -> {
                int perByte = 8 / refcountBits;
                int b = Be.u8(block, i / perByte);
                yield (b >>> ((int) (i % perByte) * refcountBits)) & ((1 << refcountBits) - 1);
            }
            case 8 -> Be.u8(block, i);
            case 16 -> Be.u16(block, i * 2);
            case 32 -> Be.u32(block, i * 4);
            default -> Be.u64(block, i * 8);
        };
    }

    // ---- details

    @Override
    public void describe(SourceDetails d) {
        String g = "Image";
        d.add(g, "Format", "qcow2");
        d.add(g, "File", file.path());
        d.add(g, "File size", file.size() + " bytes");
        d.add(g, "Virtual size", header.size() + " bytes" + (header.size() % 512 != 0 ? " (qemu uses " + length() + ")" : ""));
        d.add(g, "Version", header.version());
        d.add(g, "Cluster size", clusterSize + " bytes");
        d.add(g, "Extended L2 entries", extL2 ? "yes (subclusters of " + (1L << subclusterBits) + " bytes)" : "no");
        d.add(g, "Dirty", header.dirty() ? "yes (refcounts may be inconsistent)" : "no");
        d.add(g, "Corrupt", header.corrupt() ? "yes (the image was marked corrupt)" : "no");
        d.add(g, "Compression type", header.compressionName());
        d.add(g, "Encryption", header.cryptName());
        d.add(g, "Refcount bits", 1 << header.refcountOrder());
        d.add(g, "Lazy refcounts", (header.compatibleFeatures() & Qcow2Header.COMPAT_LAZY_REFCOUNTS) != 0 ? "yes" : "no");
        d.add(g, "Incompatible features", names(0, header.incompatibleFeatures()));
        d.add(g, "Compatible features", names(1, header.compatibleFeatures()));
        d.add(g, "Autoclear features", names(2, header.autoclearFeatures()));
        d.add(g, "L1 table", header.l1Size() + " entries at offset " + header.l1TableOffset());
        if (header.hasDataFile()) {
            d.add(g, "Data file", header.dataFile() + ((header.autoclearFeatures() & Qcow2Header.AUTOCLEAR_DATA_FILE_RAW) != 0 ? " (raw)" : ""));
        }
        if (backingRef != null) {
            d.add(g, "Backing file", backingRef.name());
            d.add(g, "Backing format", backingRef.format() == null ? "not stated (probed)" : backingRef.format());
        }
        if (header.bitmapCount() > 0) d.add(g, "Bitmaps", header.bitmapCount());
        for (Qcow2Header.Extension e : header.otherExtensions()) {
            d.add(g, "Unknown header extension", Be.hex(e.type()) + " (" + e.length() + " bytes)");
        }
        d.add(g, "Snapshots", snapshots.size());
        DateTimeFormatter fmt = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
        for (Qcow2Snapshot s : snapshots) {
            d.add(g, "Snapshot " + s.id(), "'" + s.name() + "', " + fmt.format(s.date()) + ", VM state " + s.vmStateSize()
                + " bytes, VM clock " + clock(s.vmClockNanos()) + (s.diskSize() >= 0 ? ", disk size " + s.diskSize() + " bytes" : ""));
        }
    }

    private String names(int type, long bits) {
        if (bits == 0) return "none";
        List<String> n = new ArrayList<>(header.featureNames(type, bits));
        return String.join(", ", n);
    }

    private static String clock(long nanos) {
        long ms = nanos / 1_000_000;
        return String.format("%02d:%02d:%02d.%03d", ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    }

    @Override
    public void close() {
        if (backing != null) backing.close();
        if (dataFile != file) dataFile.close();
        file.close();
    }

    @Override
    public String toString() { return "qcow2 " + file.path(); }
}
