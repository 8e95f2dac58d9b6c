package org.nbdscope.engine.image;

import java.nio.file.Path;

import org.nbdscope.engine.source.SourceDetails;

/**
 * One file of an image chain as qemu's block layer sees it: a raw file or a qcow2 image, with the qcow2
 * backing file below it. {@link #status} answers like qemu's {@code bdrv_co_do_block_status} for this one
 * node, generic rules included (allocation, zeroes synthesised where there is no backing data, the
 * metadata-preallocation refinement), so a chain walk reproduces {@code qemu-img map}.
 *
 * <p>Implementations are thread-safe.
 */
public interface Layer extends AutoCloseable {
    /** The range holds data ({@code BDRV_BLOCK_DATA}). */
    int DATA = 1;
    /** The range reads as zero ({@code BDRV_BLOCK_ZERO}). */
    int ZERO = 1 << 1;
    /** {@link LayerStatus#hostOffset()} is valid ({@code BDRV_BLOCK_OFFSET_VALID}). */
    int OFFSET_VALID = 1 << 2;
    /** This layer decides the content ({@code BDRV_BLOCK_ALLOCATED}); otherwise the backing file does. */
    int ALLOCATED = 1 << 3;
    /** Compressed cluster ({@code BDRV_BLOCK_COMPRESSED}). */
    int COMPRESSED = 1 << 4;
    /** Unallocated here and the backing file was not opened, so the content is not known. */
    int UNKNOWN = 1 << 5;

    /** {@code "raw"} or {@code "qcow2"}. */
    String format();

    Path path();

    /** The file holding this layer's metadata (and data, unless there is an external data file). */
    ImageFile file();

    /** Length as qemu's block layer sees it (raw: rounded up to 512 bytes; qcow2: rounded down). */
    long length();

    /** The virtual size the format records (raw: the file size; qcow2: the header's size field). */
    long virtualSize();

    /** The backing file as the header names it, or null when there is none. */
    BackingRef backingRef();

    /** The opened backing layer, or null when there is none or it was not followed. */
    Layer backing();

    /**
     * Status of {@code [offset, offset + bytes)}, {@code 0 <= offset < length()},
     * {@code 1 <= bytes <= length() - offset}: the result covers a non-empty prefix of it.
     */
    LayerStatus status(long offset, long bytes);

    /** Header facts as rows of group "Image". */
    void describe(SourceDetails details);

    @Override
    void close();

    /** A backing file as a header names it, with the format the header states (null when unstated). */
    record BackingRef(String name, String format) {}
}
