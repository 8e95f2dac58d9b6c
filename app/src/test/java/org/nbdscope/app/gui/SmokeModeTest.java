package org.nbdscope.app.gui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

import org.nbdscope.app.Main;
import org.nbdscope.app.gui.model.Units;
import org.nbdscope.app.cli.ExitCodes;

/**
 * {@code nbdscope --smoke --screenshot FILE} through the real command line, in this JVM (the FX platform
 * is already running headless here, so the launcher leaves it running).
 */
class SmokeModeTest {
    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    @Test
    void smokeOpensTheDemoWaitsForTheScanAndWritesAScreenshot() throws Exception {
        Path png = Fx.screenshotDir().resolve("smoke.png");
        Files.deleteIfExists(png);
        PrintStream out = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(buf, true));
            code = Main.run("--smoke", "--screenshot", png.toString());
        } finally {
            System.setOut(out);
        }
        assertThat(code).isEqualTo(ExitCodes.OK);
        assertThat(buf.toString()).contains("smoke: ok").contains("demo: Scan complete · 1 TiB of 1 TiB (100 %) · "
            + Units.grouped(DemoLayout.extents()) + " extents · 1 request");
        byte[] b = Files.readAllBytes(png);
        assertThat(b).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        ByteBuffer ihdr = ByteBuffer.wrap(b, 16, 8);
        assertThat(ihdr.getInt()).isGreaterThan(600);
        assertThat(ihdr.getInt()).isGreaterThan(400);
    }

    @Test
    void guiSubcommandTakesTheSameSmokeOptions() throws Exception {
        Path png = Fx.screenshotDir().resolve("smoke-gui.png");
        Files.deleteIfExists(png);
        assertThat(Main.run("gui", "--smoke", "--screenshot", png.toString())).isEqualTo(ExitCodes.OK);
        assertThat(png).isRegularFile();
    }

    @Test
    void aSmokeRunOfATargetThatCannotOpenFailsWithItsReason() {
        PrintStream err = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int code;
        try {
            System.setErr(new PrintStream(buf, true));
            code = Main.run("gui", "--smoke", "/nonexistent/disk.img");
        } finally {
            System.setErr(err);
        }
        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(buf.toString()).contains("smoke: /nonexistent/disk.img: Could not open /nonexistent/disk.img");
    }

    @Test
    void screenshotWithoutSmokeIsAUsageError() {
        assertThat(Main.run("gui", "--screenshot", "x.png")).isEqualTo(ExitCodes.USAGE);
        assertThat(Main.run("gui", "--smoke", "--timeout", "0")).isEqualTo(ExitCodes.USAGE);
    }
}
