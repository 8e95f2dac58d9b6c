package org.nbdscope.engine.image.qcow2;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.nbdscope.engine.image.ImageOptions;
import org.nbdscope.engine.image.ImageSource;
import org.nbdscope.engine.image.ImageSources;
import org.nbdscope.engine.image.QemuMap;
import org.nbdscope.engine.proto.BlockStatusFlags;
import org.nbdscope.engine.source.SourceException;

/**
 * Arbitrary bytes opened as an image and mapped: the only failure allowed is a {@link SourceException}.
 * Out-of-memory, any other exception, or a hang is a finding. A normal build runs the committed seeds
 * (src/test/resources/.../Qcow2FuzzTestInputs/openAndMap). To fuzz, with Jazzer's instrumentation on:
 * {@code JAZZER_FUZZ=1 ./build -pl engine test -Dtest=Qcow2FuzzTest -Djazzer.hooks=true} (engine/pom.xml turns
 * the hooks off for the regression run, where they only cost time); findings land next to the seeds, the
 * generated corpus in engine/.cifuzz-corpus (git-ignored).
 *
 * <p>The file sits alone in a directory, named so that a backing or data file name pointing at itself
 * exercises loop detection. Work per input is bounded: inputs up to 64 KiB, at most
 * {@link #MAX_ENTRIES} map entries, block status over the first {@link #STATUS_RANGE} bytes.
 */
class Qcow2FuzzTest {
    static final int MAX_INPUT = 64 << 10;
    static final int MAX_ENTRIES = 20_000;
    static final long STATUS_RANGE = 16 << 20;
    private static Path dir;
    private static Path file;

    /** Stops a map early; never escapes the test. */
    private static final class Enough extends RuntimeException {
        Enough() { super(null, null, false, false); }
    }

    @BeforeAll
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("nbdscope-fuzz");
        file = dir.resolve("fuzz.qcow2");
    }

    @AfterAll
    static void tearDown() throws IOException {
        Files.deleteIfExists(file);
        Files.deleteIfExists(dir);
    }

    @FuzzTest(maxDuration = "60s")
    void openAndMap(byte[] input) throws IOException {
        if (input.length > MAX_INPUT) return;
        Files.write(file, input);
        try (ImageSource s = ImageSources.open(file, new ImageOptions(true, 4, true))) {
            s.details();
            s.chain();
            int[] n = {0};
            try {
                QemuMap.forEach(s, e -> {
                    if (e.length() < 0 || e.start() < 0) throw new AssertionError("negative entry " + e);
                    if (++n[0] > MAX_ENTRIES) throw new Enough();
                });
            } catch (Enough enough) {
                // bounded: the map goes on, but this input has shown enough
            }
            if (s.size() > 0) {
                var batch = s.blockStatus(BlockStatusFlags.BASE_ALLOCATION, 0, Math.min(s.size(), STATUS_RANGE), false).join();
                if (batch.offset() != 0 || batch.end() > Math.min(s.size(), STATUS_RANGE)) {
                    throw new AssertionError("block status answered " + batch.offset() + ".." + batch.end());
                }
            }
        } catch (SourceException expected) {
            // a clear error is the right answer to a broken image
        } catch (java.util.concurrent.CompletionException e) {
            if (!(e.getCause() instanceof SourceException)) throw e;
        }
    }
}
