/**
 * Session files ({@code .nbdscope}): the saved unit of work (targets, what was negotiated, scans with their
 * extent maps in a compact encoding, every probe, make-zero and compare result, notes and view state).
 * {@link org.nbdscope.engine.session.Session} is the model (immutable records, JSON through Jackson),
 * {@link org.nbdscope.engine.session.SessionFiles} reads and writes it atomically, and
 * {@link org.nbdscope.engine.session.SessionFormatException} names what is wrong with a file that cannot be
 * read. The format is described in {@code docs/session-format.md}. A session never holds secrets: see
 * {@link org.nbdscope.engine.session.Secrets}.
 */
package org.nbdscope.engine.session;
