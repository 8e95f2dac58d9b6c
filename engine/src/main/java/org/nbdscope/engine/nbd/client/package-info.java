/**
 * The NBD client on Netty.
 *
 * <p>Public API: {@link org.nbdscope.engine.nbd.client.NbdClient#connect} / {@code connectAsync} open an
 * {@link org.nbdscope.engine.nbd.client.NbdConnection} (a {@link org.nbdscope.engine.source.BlockSource}
 * with READ, WRITE, FLUSH, TRIM, WRITE_ZEROES, CACHE, BLOCK_STATUS and DISC);
 * {@link org.nbdscope.engine.nbd.client.NbdClient#list} lists exports. What a connection negotiated is a
 * {@link org.nbdscope.engine.nbd.client.Negotiated}; failures are
 * {@link org.nbdscope.engine.nbd.client.NbdCommandException} (one command),
 * {@link org.nbdscope.engine.nbd.client.NbdConnectionLostException} (the connection died),
 * {@link org.nbdscope.engine.nbd.client.NbdProtocolException} (the server broke framing) and
 * {@link org.nbdscope.engine.nbd.client.NbdOptionException} (the handshake was refused).
 *
 * <p>Inside: {@code Handshake} (the option state machine) over {@code OptionReplyDecoder}, then
 * {@code RequestEncoder}, {@code ReplyDecoder} and {@code Dispatcher}, which hands each reply to its
 * {@code Pending} request.
 */
package org.nbdscope.engine.nbd.client;
