package org.nbdscope.engine.nbd.client;

import io.netty.buffer.ByteBuf;
import org.nbdscope.engine.proto.NbdCommand;

/**
 * One transmission request. {@code length} is the effect length (or, for {@code WRITE}, the payload
 * length); {@code payload} is the data of a {@code WRITE} (ownership passes to the encoder), else null.
 */
record NbdRequest(NbdCommand command, int flags, long cookie, long offset, long length, ByteBuf payload) {}
