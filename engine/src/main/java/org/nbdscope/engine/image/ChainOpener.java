package org.nbdscope.engine.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.nbdscope.engine.image.qcow2.Qcow2Header;
import org.nbdscope.engine.image.qcow2.Qcow2Layer;
import org.nbdscope.engine.image.raw.RawLayer;
import org.nbdscope.engine.source.WireCounters;

/** Opens an image and, as its headers ask and the options allow, its backing chain and data files. */
final class ChainOpener implements LayerOpener {
    private final Path root;
    private final Path realRoot;
    private final ImageOptions options;
    private final WireCounters counters;
    private final Map<ImageFile, Integer> depths = new IdentityHashMap<>();
    /** Real paths of the chain being opened, top first, with the names shown in a loop message. */
    private final List<Path> realChain = new ArrayList<>();
    private final List<String> nameChain = new ArrayList<>();

    ChainOpener(Path top, ImageOptions options, WireCounters counters) {
        this.root = top.getParent();
        this.options = options;
        this.counters = counters;
        try {
            this.realRoot = root.toRealPath();
        } catch (IOException e) {
            throw new ImageException("cannot resolve the directory " + root + ": " + e.getMessage(), e);
        }
    }

    /** Opens the top image, probing its format by the qcow2 magic. */
    Layer openTop(Path top) {
        ImageFile f = ImageFile.open(top, counters);
        try {
            realChain.add(top.toRealPath());
        } catch (IOException e) {
            f.close();
            throw new ImageException("cannot resolve " + top + ": " + e.getMessage(), e);
        }
        nameChain.add(top.getFileName().toString());
        return openLayer(f, null, 0);
    }

    private Layer openLayer(ImageFile f, String format, int depth) {
        depths.put(f, depth);
        boolean qcow2;
        try {
            qcow2 = hasQcow2Magic(f);
        } catch (RuntimeException e) {
            f.close();
            throw e;
        }
        String fmt = format != null ? format : (qcow2 ? "qcow2" : "raw");
        if (fmt.equals("raw")) return new RawLayer(f);
        if (!qcow2) {
            f.close();
            throw new ImageException(f.path().getFileName() + ": the referring image says its format is qcow2, but it has no qcow2 magic");
        }
        return Qcow2Layer.open(f, this);
    }

    static boolean hasQcow2Magic(ImageFile f) {
        if (f.size() < 4) return false;
        return f.read(0, 4, "magic").get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN), 0)
            == Qcow2Header.MAGIC;
    }

    @Override
    public Layer openBacking(ImageFile from, Layer.BackingRef ref) {
        if (!options.allowBacking()) return null;
        int depth = depths.getOrDefault(from, 0) + 1;
        String fmt = ref.format();
        if (fmt != null && !fmt.equals("qcow2") && !fmt.equals("raw")) {
            throw new ImageException(from.path().getFileName() + ": backing file '" + BackingPaths.printable(ref.name())
                + "' has format '" + BackingPaths.printable(fmt) + "'; raw and qcow2 are read");
        }
        if (depth > options.maxBackingDepth()) {
            throw new ImageException(nameChain.getFirst() + ": the backing chain is deeper than the limit of "
                + options.maxBackingDepth() + " (at '" + BackingPaths.printable(ref.name()) + "', backing file " + depth + ")");
        }
        BackingPaths.Resolved r = BackingPaths.resolve(root, realRoot, from.path(), ref.name(), "backing file");
        while (realChain.size() > depth) {
            realChain.removeLast();
            nameChain.removeLast();
        }
        if (realChain.contains(r.real())) {
            List<String> loop = new ArrayList<>(nameChain);
            loop.add(ref.name());
            throw new ImageException(nameChain.getFirst() + ": backing loop: " + String.join(" -> ", loop.stream().map(BackingPaths::printable).toList())
                + " (" + r.real().getFileName() + " is already in the chain)");
        }
        realChain.add(r.real());
        nameChain.add(ref.name());
        ImageFile f = ImageFile.open(r.path(), counters);
        return openLayer(f, fmt, depth);
    }

    @Override
    public ImageFile openDataFile(ImageFile from, String name) {
        BackingPaths.Resolved r = BackingPaths.resolve(root, realRoot, from.path(), name, "external data file");
        return ImageFile.open(r.path(), counters);
    }
}
