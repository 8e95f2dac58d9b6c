package org.nbdscope.engine.nbd.client;

import java.nio.charset.StandardCharsets;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.nbdscope.engine.proto.HandshakeFlags;
import org.nbdscope.engine.proto.NbdInfo;
import org.nbdscope.engine.proto.NbdMagic;
import org.nbdscope.engine.proto.NbdOption;
import org.nbdscope.engine.proto.NbdOptionReply;
import org.nbdscope.engine.proto.NbdReplyType;

/** Builds server-side wire bytes for codec tests. */
final class Wire {
    private Wire() {}

    static final int FIXED = HandshakeFlags.FIXED_NEWSTYLE | HandshakeFlags.NO_ZEROES;

    static ByteBuf buf() { return Unpooled.buffer(); }

    static ByteBuf greeting(int flags) {
        return buf().writeLong(NbdMagic.NBDMAGIC).writeLong(NbdMagic.IHAVEOPT).writeShort(flags);
    }

    static ByteBuf optionReply(NbdOption option, int type, ByteBuf payload) {
        ByteBuf b = buf().writeLong(NbdMagic.OPTION_REPLY).writeInt(option.code()).writeInt(type)
            .writeInt(payload == null ? 0 : payload.readableBytes());
        if (payload != null) b.writeBytes(payload);
        return b;
    }

    static ByteBuf ack(NbdOption option) { return optionReply(option, NbdOptionReply.ACK.code(), null); }

    static ByteBuf error(NbdOption option, NbdOptionReply type, String message) {
        return optionReply(option, type.code(), buf().writeBytes(message.getBytes(StandardCharsets.UTF_8)));
    }

    static ByteBuf server(String name, String description) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return optionReply(NbdOption.LIST, NbdOptionReply.SERVER.code(),
            buf().writeInt(n.length).writeBytes(n).writeBytes(description.getBytes(StandardCharsets.UTF_8)));
    }

    static ByteBuf metaContext(NbdOption option, int id, String name) {
        return optionReply(option, NbdOptionReply.META_CONTEXT.code(), buf().writeInt(id).writeBytes(name.getBytes(StandardCharsets.UTF_8)));
    }

    static ByteBuf infoExport(long size, int flags) {
        return optionReply(NbdOption.GO, NbdOptionReply.INFO.code(), buf().writeShort(NbdInfo.EXPORT.code()).writeLong(size).writeShort(flags));
    }

    static ByteBuf infoBlockSize(int min, int preferred, int max) {
        return optionReply(NbdOption.GO, NbdOptionReply.INFO.code(),
            buf().writeShort(NbdInfo.BLOCK_SIZE.code()).writeInt(min).writeInt(preferred).writeInt(max));
    }

    static ByteBuf infoInitState(int flags) {
        return optionReply(NbdOption.GO, NbdOptionReply.INFO.code(), buf().writeShort(NbdInfo.INIT_STATE.code()).writeShort(flags));
    }

    static ByteBuf infoString(NbdInfo type, String s) {
        return optionReply(NbdOption.GO, NbdOptionReply.INFO.code(), buf().writeShort(type.code()).writeBytes(s.getBytes(StandardCharsets.UTF_8)));
    }

    // ---- transmission ----

    static ByteBuf simple(long cookie, int error, byte[] data) {
        ByteBuf b = buf().writeInt(NbdMagic.SIMPLE_REPLY).writeInt(error).writeLong(cookie);
        if (data != null) b.writeBytes(data);
        return b;
    }

    static ByteBuf chunk(boolean done, NbdReplyType type, long cookie, ByteBuf payload) {
        return chunk(done ? NbdReplyType.FLAG_DONE : 0, type.code(), cookie, payload);
    }

    static ByteBuf chunk(int flags, int type, long cookie, ByteBuf payload) {
        int n = payload == null ? 0 : payload.readableBytes();
        ByteBuf b = buf().writeInt(NbdMagic.STRUCTURED_REPLY).writeShort(flags).writeShort(type).writeLong(cookie).writeInt(n);
        if (payload != null) b.writeBytes(payload);
        return b;
    }

    static ByteBuf ext(boolean done, NbdReplyType type, long cookie, long offset, ByteBuf payload) {
        return ext(done ? NbdReplyType.FLAG_DONE : 0, type.code(), cookie, offset, payload);
    }

    static ByteBuf ext(int flags, int type, long cookie, long offset, ByteBuf payload) {
        int n = payload == null ? 0 : payload.readableBytes();
        ByteBuf b = buf().writeInt(NbdMagic.EXTENDED_REPLY).writeShort(flags).writeShort(type).writeLong(cookie)
            .writeLong(offset).writeLong(n);
        if (payload != null) b.writeBytes(payload);
        return b;
    }

    /** BLOCK_STATUS payload: context id, then (length, status) pairs. */
    static ByteBuf status(int contextId, long... pairs) {
        ByteBuf b = buf().writeInt(contextId);
        for (long p : pairs) b.writeInt((int) p);
        return b;
    }

    /** BLOCK_STATUS_EXT payload with the right descriptor count. */
    static ByteBuf statusExt(int contextId, long... pairs) {
        return statusExtCount(contextId, pairs.length / 2, pairs);
    }

    static ByteBuf statusExtCount(int contextId, int count, long... pairs) {
        ByteBuf b = buf().writeInt(contextId).writeInt(count);
        for (long p : pairs) b.writeLong(p);
        return b;
    }

    static ByteBuf errorPayload(int error, String message) {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        return buf().writeInt(error).writeShort(m.length).writeBytes(m);
    }

    static ByteBuf data(long offset, byte[] data) { return buf().writeLong(offset).writeBytes(data); }

    static ByteBuf hole(long offset, int length) { return buf().writeLong(offset).writeInt(length); }

    static ByteBuf concat(ByteBuf... parts) {
        ByteBuf b = buf();
        for (ByteBuf p : parts) {
            b.writeBytes(p);
            p.release();
        }
        return b;
    }
}
