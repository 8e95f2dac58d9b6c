/** NBD pieces shared by client and server: {@link org.nbdscope.engine.nbd.NbdUri}. */
package org.nbdscope.engine.nbd;
