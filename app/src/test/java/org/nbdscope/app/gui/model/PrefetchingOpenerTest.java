package org.nbdscope.app.gui.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nbdscope.app.gui.task.FxTaskRunner;
import org.nbdscope.app.synthetic.SyntheticDisk;
import org.nbdscope.app.synthetic.SyntheticLayout;
import org.nbdscope.engine.source.BlockSource;

class PrefetchingOpenerTest {
    final List<String> opened = new CopyOnWriteArrayList<>();
    final CountDownLatch firstOpen = new CountDownLatch(1);
    final FxTaskRunner runner = new FxTaskRunner();

    @AfterEach
    void stop() {
        runner.shutdown();
    }

    BlockSource disk(String name) {
        opened.add(name);
        firstOpen.countDown();
        return new SyntheticDisk(name, SyntheticLayout.stripes(1L << 20, 4), new SyntheticDisk.Behaviour(0, 100, 1, -1));
    }

    @Test
    void startsOpeningAtOnceAndHandsTheEarlySourceToTheFirstOpen() throws Exception {
        PrefetchingOpener p = new PrefetchingOpener(this::disk, runner, List.of("a"));
        assertThat(firstOpen.await(10, TimeUnit.SECONDS)).as("opened before anyone asked").isTrue();
        BlockSource a = p.open("a");
        assertThat(opened).containsExactly("a");
        BlockSource again = p.open("a");
        assertThat(again).isNotSameAs(a);
        assertThat(opened).containsExactly("a", "a");
        p.open("b");
        assertThat(opened).containsExactly("a", "a", "b");
    }

    @Test
    void anEarlyFailureIsThrownAsItWas() {
        PrefetchingOpener p = new PrefetchingOpener(t -> {
            throw new IOException("cannot connect to 127.0.0.1:1: connection refused");
        }, runner, List.of("nbd://127.0.0.1:1/x"));
        assertThatThrownBy(() -> p.open("nbd://127.0.0.1:1/x"))
            .isInstanceOf(IOException.class).hasMessage("cannot connect to 127.0.0.1:1: connection refused");
    }

    @Test
    void whatWasNeverAskedForIsClosed() throws Exception {
        SyntheticDisk[] made = new SyntheticDisk[1];
        PrefetchingOpener p = new PrefetchingOpener(t -> made[0] = (SyntheticDisk) disk(t), runner, List.of("unused"));
        assertThat(firstOpen.await(10, TimeUnit.SECONDS)).isTrue();
        p.closeUnused();
        for (int i = 0; i < 1000 && (made[0] == null || !made[0].isClosed()); i++) Thread.sleep(10);
        assertThat(made[0].isClosed()).isTrue();
    }
}
