package org.nbdscope.engine.image.qcow2;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import org.nbdscope.engine.image.ImageException;
import org.nbdscope.engine.image.ImageFile;

/**
 * The qcow2 header and its extensions (docs/interop/qcow2.txt), version 2 or 3, checked field by field.
 * Every check that fails names the field and its value; nothing is allocated from a size field before
 * the range it describes is known to lie inside the file.
 */
public record Qcow2Header(
    int version,
    long backingFileOffset,
    long backingFileSize,
    int clusterBits,
    long size,
    long cryptMethod,
    long l1Size,
    long l1TableOffset,
    long refcountTableOffset,
    long refcountTableClusters,
    long nbSnapshots,
    long snapshotsOffset,
    long incompatibleFeatures,
    long compatibleFeatures,
    long autoclearFeatures,
    int refcountOrder,
    long headerLength,
    int compressionType,
    String backingFile,
    String backingFormat,
    String dataFile,
    List<FeatureName> featureNames,
    long bitmapCount,
    List<Extension> otherExtensions) {

    public static final int MAGIC = 0x514649fb;

    public static final long INCOMPAT_DIRTY = 1;
    public static final long INCOMPAT_CORRUPT = 1 << 1;
    public static final long INCOMPAT_DATA_FILE = 1 << 2;
    public static final long INCOMPAT_COMPRESSION = 1 << 3;
    public static final long INCOMPAT_EXTL2 = 1 << 4;
    public static final long INCOMPAT_KNOWN = (1 << 5) - 1;
    public static final long COMPAT_LAZY_REFCOUNTS = 1;
    public static final long AUTOCLEAR_BITMAPS = 1;
    public static final long AUTOCLEAR_DATA_FILE_RAW = 1 << 1;

    public static final int MIN_CLUSTER_BITS = 9;
    public static final int MAX_CLUSTER_BITS = 21;
    /** qemu's limit on the active L1 table: 32 MiB of 8-byte entries. */
    public static final long MAX_L1_ENTRIES = (32L << 20) / 8;
    /** qemu's limit on the refcount table: 8 MiB. */
    public static final long MAX_REFTABLE_BYTES = 8L << 20;
    public static final long MAX_SNAPSHOTS = 65536;
    public static final int MAX_BACKING_NAME = 1023;

    static final long EXT_END = 0;
    static final long EXT_BACKING_FORMAT = 0xe2792acaL;
    static final long EXT_FEATURE_TABLE = 0x6803f857L;
    static final long EXT_BITMAPS = 0x23852875L;
    static final long EXT_CRYPTO = 0x0537be77L;
    static final long EXT_DATA_FILE = 0x44415441L;

    static final int V2_HEADER = 72;
    static final int V3_HEADER = 104;
    private static final int FEATURE_ENTRY = 48;
    private static final int BACKING_FORMAT_MAX = 15;

    /** A feature-name table entry: type 0 incompatible, 1 compatible, 2 autoclear. */
    public record FeatureName(int type, int bit, String name) {}

    /** A header extension we do not interpret, kept for the details view. */
    public record Extension(long type, long length) {}

    public long clusterSize() { return 1L << clusterBits; }

    public boolean extendedL2() { return (incompatibleFeatures & INCOMPAT_EXTL2) != 0; }

    public boolean hasDataFile() { return (incompatibleFeatures & INCOMPAT_DATA_FILE) != 0; }

    public boolean dirty() { return (incompatibleFeatures & INCOMPAT_DIRTY) != 0; }

    public boolean corrupt() { return (incompatibleFeatures & INCOMPAT_CORRUPT) != 0; }

    public String compressionName() {
        return switch (compressionType) {
            case 0 -> "zlib";
            case 1 -> "zstd";
            default -> "unknown (" + compressionType + ")";
        };
    }

    public String cryptName() {
        return switch ((int) cryptMethod) {
            case 0 -> "none";
            case 1 -> "aes";
            case 2 -> "luks";
            default -> "unknown (" + cryptMethod + ")";
        };
    }

    /** Bytes of one L2 entry: 8, or 16 with extended L2 entries. */
    public int l2EntrySize() { return extendedL2() ? 16 : 8; }

    public long l2Entries() { return clusterSize() / l2EntrySize(); }

    /** Names of the set bits of a feature field, from the feature-name table where it has them. */
    public List<String> featureNames(int type, long bits) {
        List<String> out = new ArrayList<>();
        for (int b = 0; b < 64; b++) {
            if ((bits & (1L << b)) != 0) out.add(featureName(type, b));
        }
        return out;
    }

    String featureName(int type, int bit) {
        for (FeatureName f : featureNames) if (f.type() == type && f.bit() == bit && !f.name().isEmpty()) return f.name();
        String known = switch (type) {
            case 0 -> switch (bit) {
                case 0 -> "dirty";
                case 1 -> "corrupt";
                case 2 -> "external data file";
                case 3 -> "compression type";
                case 4 -> "extended L2 entries";
                default -> null;
            };
            case 1 -> bit == 0 ? "lazy refcounts" : null;
            case 2 -> switch (bit) {
                case 0 -> "bitmaps";
                case 1 -> "raw external data";
                default -> null;
            };
            default -> null;
        };
        return known != null ? known : "bit " + bit;
    }

    /** Reads and checks the header of {@code file}, which starts with the qcow2 magic. */
    public static Qcow2Header read(ImageFile file) {
        String f = file.path().getFileName().toString();
        long fileSize = file.size();
        if (fileSize < V2_HEADER) {
            throw new ImageException(f + ": truncated qcow2 header: the file has " + fileSize + " bytes, a header needs at least " + V2_HEADER);
        }
        MemorySegment h = file.read(0, V2_HEADER, "qcow2 header");
        if ((int) Be.u32(h, 0) != MAGIC) throw new ImageException(f + ": not a qcow2 image (magic is " + Be.hex(Be.u32(h, 0)) + ")");
        long version = Be.u32(h, 4);
        if (version != 2 && version != 3) {
            throw new ImageException(f + ": unsupported qcow2 version " + version + " (versions 2 and 3 are read)");
        }
        long backingFileOffset = Be.u64(h, 8);
        long backingFileSize = Be.u32(h, 16);
        long clusterBits = Be.u32(h, 20);
        long size = Be.u64(h, 24);
        long cryptMethod = Be.u32(h, 32);
        long l1Size = Be.u32(h, 36);
        long l1TableOffset = Be.u64(h, 40);
        long refcountTableOffset = Be.u64(h, 48);
        long refcountTableClusters = Be.u32(h, 56);
        long nbSnapshots = Be.u32(h, 60);
        long snapshotsOffset = Be.u64(h, 64);

        if (clusterBits < MIN_CLUSTER_BITS || clusterBits > MAX_CLUSTER_BITS) {
            throw new ImageException(f + ": qcow2 header field cluster_bits is " + clusterBits + "; it must be "
                + MIN_CLUSTER_BITS + ".." + MAX_CLUSTER_BITS + " (clusters of 512 B to 2 MiB)");
        }
        long clusterSize = 1L << clusterBits;

        long incompatible = 0, compatible = 0, autoclear = 0, headerLength = V2_HEADER;
        int refcountOrder = 4, compressionType = 0;
        if (version == 3) {
            if (fileSize < V3_HEADER) {
                throw new ImageException(f + ": truncated qcow2 version 3 header: the file has " + fileSize + " bytes, the header needs " + V3_HEADER);
            }
            MemorySegment h3 = file.read(V2_HEADER, V3_HEADER - V2_HEADER, "qcow2 version 3 header");
            incompatible = Be.u64(h3, 0);
            compatible = Be.u64(h3, 8);
            autoclear = Be.u64(h3, 16);
            long order = Be.u32(h3, 24);
            headerLength = Be.u32(h3, 28);
            if (headerLength < V3_HEADER) {
                throw new ImageException(f + ": qcow2 header field header_length is " + headerLength + "; version 3 needs at least " + V3_HEADER);
            }
            if (headerLength > clusterSize) {
                throw new ImageException(f + ": qcow2 header field header_length is " + headerLength + ", more than the cluster size " + clusterSize);
            }
            if (headerLength > fileSize) {
                throw new ImageException(f + ": truncated qcow2 header: header_length is " + headerLength + " but the file has " + fileSize + " bytes");
            }
            if (order > 6) {
                throw new ImageException(f + ": qcow2 header field refcount_order is " + order + "; it may not exceed 6 (64-bit refcounts)");
            }
            refcountOrder = (int) order;
            if (headerLength > V3_HEADER) {
                compressionType = Be.u8(file.read(V3_HEADER, 1, "qcow2 header field compression_type"), 0);
            }
        }

        if (backingFileOffset != 0) {
            if (backingFileOffset > clusterSize) {
                throw new ImageException(f + ": qcow2 header field backing_file_offset is " + backingFileOffset
                    + ", beyond the first cluster (" + clusterSize + " bytes)");
            }
            if (backingFileSize > Math.min(MAX_BACKING_NAME, clusterSize - backingFileOffset)) {
                throw new ImageException(f + ": qcow2 header field backing_file_size is " + backingFileSize
                    + "; a backing file name is at most " + Math.min(MAX_BACKING_NAME, clusterSize - backingFileOffset) + " bytes here");
            }
        }

        // header extensions, between the header and the backing file name (or the end of the first cluster)
        long extEnd = backingFileOffset != 0 ? backingFileOffset : clusterSize;
        String backingFormat = null, dataFile = null;
        long bitmapCount = 0;
        List<FeatureName> features = new ArrayList<>();
        List<Extension> others = new ArrayList<>();
        ImageException extError = null;
        try {
            long off = headerLength;
            while (off < extEnd) {
                if (extEnd - off < 8) {
                    throw new ImageException(f + ": qcow2 header extension at offset " + off + " is cut off by the end of the extension area at " + extEnd);
                }
                MemorySegment eh = file.read(off, 8, "qcow2 header extension");
                long type = Be.u32(eh, 0);
                long len = Be.u32(eh, 4);
                off += 8;
                if (type == EXT_END) break;
                if (len > extEnd - off) {
                    throw new ImageException(f + ": qcow2 header extension " + Be.hex(type) + " at offset " + (off - 8)
                        + " has length " + len + ", more than the " + (extEnd - off) + " bytes left before " + extEnd);
                }
                if (type == EXT_BACKING_FORMAT) {
                    if (len > BACKING_FORMAT_MAX) {
                        throw new ImageException(f + ": qcow2 backing format extension has length " + len + "; a format name is at most " + BACKING_FORMAT_MAX + " bytes");
                    }
                    backingFormat = Be.string(file.read(off, len, "qcow2 backing format extension"), 0, (int) len);
                } else if (type == EXT_FEATURE_TABLE) {
                    MemorySegment t = file.read(off, len, "qcow2 feature name table");
                    for (long e = 0; e + FEATURE_ENTRY <= len; e += FEATURE_ENTRY) {
                        features.add(new FeatureName(Be.u8(t, e), Be.u8(t, e + 1), Be.string(t, e + 2, FEATURE_ENTRY - 2)));
                    }
                } else if (type == EXT_DATA_FILE) {
                    dataFile = Be.string(file.read(off, len, "qcow2 external data file name extension"), 0, (int) len);
                } else if (type == EXT_BITMAPS) {
                    if (len >= 4) bitmapCount = Be.u32(file.read(off, 4, "qcow2 bitmaps extension"), 0);
                } else if (type == EXT_CRYPTO) {
                    if (len != 16) {
                        throw new ImageException(f + ": qcow2 full disk encryption header extension has length " + len + "; it must be 16");
                    }
                } else {
                    others.add(new Extension(type, len));
                }
                off += (len + 7) & ~7L;
            }
        } catch (ImageException e) {
            extError = e;
        }

        Qcow2Header hdr = new Qcow2Header((int) version, backingFileOffset, backingFileSize, (int) clusterBits, size, cryptMethod,
            l1Size, l1TableOffset, refcountTableOffset, refcountTableClusters, nbSnapshots, snapshotsOffset,
            incompatible, compatible, autoclear, refcountOrder, headerLength, compressionType, null, backingFormat,
            dataFile, List.copyOf(features), bitmapCount, List.copyOf(others));

        long unknown = incompatible & ~INCOMPAT_KNOWN;
        if (unknown != 0) {
            throw new ImageException(f + ": unsupported qcow2 incompatible feature" + (Long.bitCount(unknown) > 1 ? "s " : " ")
                + String.join(", ", hdr.featureNames(0, unknown).stream().map(n -> n.startsWith("bit ") ? n : "'" + n + "'").toList())
                + " (incompatible_features is " + Be.hex(incompatible) + ")");
        }
        if (extError != null) throw extError;
        return hdr.check(file, f);
    }

    /** The checks qemu makes when it opens an image, plus: every table lies inside the file. */
    private Qcow2Header check(ImageFile file, String f) {
        long clusterSize = clusterSize();
        long fileSize = file.size();
        if (compressionType != 0 && compressionType != 1) {
            throw new ImageException(f + ": qcow2 header field compression_type is " + compressionType + " (0 zlib and 1 zstd are defined)");
        }
        boolean compressionBit = (incompatibleFeatures & INCOMPAT_COMPRESSION) != 0;
        if (compressionType == 0 && compressionBit) {
            throw new ImageException(f + ": the compression type feature bit is set but compression_type is 0 (zlib)");
        }
        if (compressionType != 0 && !compressionBit) {
            throw new ImageException(f + ": compression_type is " + compressionType + " (" + compressionName() + ") but the compression type feature bit is not set");
        }
        if (cryptMethod > 2) {
            throw new ImageException(f + ": qcow2 header field crypt_method is " + cryptMethod + " (0 none, 1 aes, 2 luks are defined)");
        }
        if (extendedL2() && clusterBits < MIN_CLUSTER_BITS + 5) {
            throw new ImageException(f + ": extended L2 entries need clusters of at least 16 KiB, but cluster_bits is " + clusterBits);
        }
        if (hasDataFile() && (dataFile == null || dataFile.isEmpty())) {
            throw new ImageException(f + ": the external data file feature bit is set but the header names no data file");
        }
        if (size < 0) {
            throw new ImageException(f + ": qcow2 header field size is " + Long.toUnsignedString(size) + ", too large for a disk");
        }
        // L1 table
        if (l1Size > MAX_L1_ENTRIES) {
            throw new ImageException(f + ": qcow2 header field l1_size is " + l1Size + "; at most " + MAX_L1_ENTRIES + " entries are allowed");
        }
        long coverage = clusterSize * l2Entries();
        long needed = size / coverage + (size % coverage != 0 ? 1 : 0);
        if (needed > Integer.MAX_VALUE) {
            throw new ImageException(f + ": qcow2 header field size is " + size + ", too large for cluster size " + clusterSize);
        }
        if (l1Size < needed) {
            throw new ImageException(f + ": qcow2 header field l1_size is " + l1Size + ", too small for a virtual size of "
                + size + " bytes (" + needed + " entries needed)");
        }
        checkTable(f, "l1_table_offset", "L1 table", l1TableOffset, l1Size * 8, clusterSize, fileSize);
        // refcount table
        if (refcountTableClusters == 0) {
            throw new ImageException(f + ": qcow2 header field refcount_table_clusters is 0: the image has no refcount table");
        }
        if (refcountTableClusters > MAX_REFTABLE_BYTES / clusterSize) {
            throw new ImageException(f + ": qcow2 header field refcount_table_clusters is " + refcountTableClusters
                + "; at most " + MAX_REFTABLE_BYTES / clusterSize + " clusters are allowed");
        }
        checkTable(f, "refcount_table_offset", "refcount table", refcountTableOffset, refcountTableClusters * clusterSize, clusterSize, fileSize);
        // snapshot table
        if (nbSnapshots > MAX_SNAPSHOTS) {
            throw new ImageException(f + ": qcow2 header field nb_snapshots is " + nbSnapshots + "; at most " + MAX_SNAPSHOTS + " are allowed");
        }
        if (nbSnapshots > 0) checkTable(f, "snapshots_offset", "snapshot table", snapshotsOffset, nbSnapshots * 40, clusterSize, fileSize);
        // backing file name
        String backing = null;
        if (backingFileOffset != 0 && backingFileSize > 0) {
            backing = Be.string(file.read(backingFileOffset, backingFileSize, "qcow2 backing file name"), 0, (int) backingFileSize);
            if (backing.isEmpty()) backing = null;
        }
        return new Qcow2Header(version, backingFileOffset, backingFileSize, clusterBits, size, cryptMethod, l1Size, l1TableOffset,
            refcountTableOffset, refcountTableClusters, nbSnapshots, snapshotsOffset, incompatibleFeatures, compatibleFeatures,
            autoclearFeatures, refcountOrder, headerLength, compressionType, backing, backingFormat, dataFile, featureNames,
            bitmapCount, otherExtensions);
    }

    private static void checkTable(String f, String field, String table, long offset, long bytes, long clusterSize, long fileSize) {
        if (offset < 0 || (offset & (clusterSize - 1)) != 0) {
            throw new ImageException(f + ": qcow2 header field " + field + " is " + Long.toUnsignedString(offset)
                + ", not aligned to the cluster size " + clusterSize);
        }
        if (bytes > 0 && (offset > fileSize || bytes > fileSize - offset)) {
            throw new ImageException(f + ": the " + table + " (" + field + " " + offset + ", " + bytes
                + " bytes) runs past the end of the file (" + fileSize + " bytes)");
        }
    }
}
