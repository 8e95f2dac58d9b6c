package org.nbdscope.app.gui.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

class DropTargetsTest {
    @Test
    void droppedFilesOpenByTheirAbsolutePaths() {
        assertThat(DropTargets.of(List.of(Path.of("/tmp/a.qcow2"), Path.of("/srv/b.img")), "ignored"))
            .containsExactly("/tmp/a.qcow2", "/srv/b.img");
    }

    @Test
    void droppedTextIsOneTargetPerLineWithFileUrisAsPaths() {
        assertThat(DropTargets.of(List.of(), "# text/uri-list\r\nnbd://host/disk\n\n  file:///tmp/x%20y.raw \nnbd+unix:///e?socket=/run/s"))
            .containsExactly("nbd://host/disk", "/tmp/x y.raw", "nbd+unix:///e?socket=/run/s");
        assertThat(DropTargets.of(List.of(), "file:bad uri")).containsExactly("file:bad uri");
        assertThat(DropTargets.of(List.of(), null)).isEmpty();
        assertThat(DropTargets.of(List.of(), " \n# only a comment")).isEmpty();
    }
}
