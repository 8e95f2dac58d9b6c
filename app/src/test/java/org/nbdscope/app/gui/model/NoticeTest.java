package org.nbdscope.app.gui.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;
import org.nbdscope.engine.source.OpenOptions;
import org.nbdscope.engine.source.SourceException;
import org.nbdscope.engine.source.Sources;

/** Notification text: the engine's plain message, never the transport's wording or a class name. */
class NoticeTest {

    @Test
    void aRefusedConnectionReadsPlainly() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String target = "nbd://127.0.0.1:" + port + "/";
        // as the app opens targets: on a task, so the failure arrives wrapped
        Throwable t = catchThrowable(() -> CompletableFuture.supplyAsync(() -> Sources.open(target, OpenOptions.defaults())).join());
        assertThat(t).isInstanceOf(CompletionException.class);
        Notice n = Notice.error("Could not open " + target, t);
        assertThat(n.message()).isEqualTo("cannot connect to 127.0.0.1:" + port + ": connection refused");
        assertThat(n.text()).doesNotContain("finishConnect", "error(-111)", "Exception");
    }

    @Test
    void aSourceExceptionIsNotExtendedByItsCause() {
        SourceException e = new SourceException("cannot connect to 127.0.0.1:1: connection refused",
            new ConnectException("finishConnect(..) failed with error(-111): Connection refused"));
        assertThat(Notice.messageOf(new CompletionException(e))).isEqualTo("cannot connect to 127.0.0.1:1: connection refused");
    }

    @Test
    void otherFailuresStillNameTheirCause() {
        IllegalStateException e = new IllegalStateException("cannot write the screenshot", new java.io.IOException("No space left on device"));
        assertThat(Notice.messageOf(e)).isEqualTo("cannot write the screenshot: No space left on device");
        assertThat(Notice.messageOf(new NullPointerException())).isEqualTo("NullPointerException");
    }
}
