package org.nbdscope.engine.nbd.client;

import org.nbdscope.engine.nbd.client.HandshakeMessage.BlockSizeInfo;
import org.nbdscope.engine.nbd.client.HandshakeMessage.DescriptionInfo;
import org.nbdscope.engine.nbd.client.HandshakeMessage.ExportInfo;
import org.nbdscope.engine.nbd.client.HandshakeMessage.InfoItem;
import org.nbdscope.engine.nbd.client.HandshakeMessage.InitStateInfo;
import org.nbdscope.engine.nbd.client.HandshakeMessage.NameInfo;
import org.nbdscope.engine.nbd.client.HandshakeMessage.UnknownInfo;

/** The {@code NBD_REP_INFO} items of one {@code NBD_OPT_INFO} or {@code NBD_OPT_GO}, as they arrive. */
final class InfoItems {
    ExportInfo export;
    String name;
    String description;
    BlockSizeInfo blockSize;
    Integer initState;

    void add(InfoItem item) {
        switch (item) {
            case ExportInfo e -> export = e;
            case NameInfo n -> name = n.name();
            case DescriptionInfo d -> description = d.description();
            case BlockSizeInfo b -> blockSize = b;
            case InitStateInfo s -> initState = s.flags();
            case UnknownInfo u -> { /* the spec says: ignore information types not understood */ }
        }
    }

    void clear() {
        export = null;
        name = null;
        description = null;
        blockSize = null;
        initState = null;
    }

    long minimum() { return blockSize == null ? 0 : blockSize.minimum(); }

    long preferred() { return blockSize == null ? 0 : blockSize.preferred(); }

    long maximum() { return blockSize == null ? 0 : blockSize.maximum(); }
}
