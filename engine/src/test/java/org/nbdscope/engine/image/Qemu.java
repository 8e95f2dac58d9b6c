package org.nbdscope.engine.image;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.nbdscope.engine.testing.Peer;

/** qemu-img and qemu-io, run by tests to build images and to give the reference answer. */
final class Qemu {
    private Qemu() {}

    static final Duration TIMEOUT = Duration.ofMinutes(3);

    static String img(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("qemu-img");
        cmd.addAll(List.of(args));
        return Peer.run(TIMEOUT, cmd.toArray(String[]::new));
    }

    /** Runs qemu-io commands on an image of format {@code fmt}. */
    static void io(Path image, String fmt, String... commands) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("qemu-io", "-f", fmt));
        for (String c : commands) {
            cmd.add("-c");
            cmd.add(c);
        }
        cmd.add(image.toString());
        Peer.run(TIMEOUT, cmd.toArray(String[]::new));
    }

    /** {@code qemu-img map --output=json -f FMT IMAGE}: the reference text. */
    static String map(Path image, String fmt) throws IOException, InterruptedException {
        return img("map", "--output=json", "-f", fmt, image.toString());
    }

    static Path create(Path image, String options, String size) throws IOException, InterruptedException {
        if (options.isEmpty()) img("create", "-q", "-f", "qcow2", image.toString(), size);
        else img("create", "-q", "-f", "qcow2", "-o", options, image.toString(), size);
        return image;
    }
}
