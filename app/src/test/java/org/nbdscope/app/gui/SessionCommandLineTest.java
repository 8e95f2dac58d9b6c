package org.nbdscope.app.gui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;

import org.nbdscope.app.CliMain;
import org.nbdscope.app.Main;
import org.nbdscope.app.cli.ExitCodes;

/**
 * {@code nbdscope FILE.nbdscope} and {@code nbdscope gui FILE.nbdscope} (what the desktop entry runs) open the
 * session, here in smoke mode: the saved tab shows without connecting, and the run exits 0. Anything else as a
 * bare argument stays a usage error, and the command-line-only launcher refuses session files.
 */
class SessionCommandLineTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void toolkit() throws Exception {
        FxToolkit.registerPrimaryStage();
    }

    record Run(int code, String out, String err) {}

    static Run run(boolean cliOnly, String... args) {
        PrintStream out = System.out, err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true));
            System.setErr(new PrintStream(e, true));
            int code = cliOnly ? CliMain.run(args) : Main.run(args);
            return new Run(code, o.toString(), e.toString());
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void aSessionFileOnTheCommandLineOpensItsSavedTabs() throws Exception {
        Path session = dir.resolve("demo.nbdscope");
        assertThat(run(false, "map", "demo", "--save", session.toString()).code()).isEqualTo(ExitCodes.OK);
        assertThat(session).isRegularFile();

        Path png = Fx.screenshotDir().resolve("session-smoke.png");
        Files.deleteIfExists(png);
        Run bare = run(false, "--smoke", "--screenshot", png.toString(), session.toString());
        assertThat(bare.code()).as(bare.err()).isEqualTo(ExitCodes.OK);
        assertThat(bare.out()).contains("smoke: ok").contains("demo: Saved scan taken ").contains("offline: Rescan (F5) shows what changed");
        assertThat(png).isRegularFile();

        Run gui = run(false, "gui", "--smoke", session.toString());
        assertThat(gui.code()).as(gui.err()).isEqualTo(ExitCodes.OK);
        assertThat(gui.out()).contains("demo: Saved scan taken ");
    }

    @Test
    void aBrokenSessionFileFailsTheSmokeRunWithItsReason() throws Exception {
        Path broken = dir.resolve("broken.nbdscope");
        Files.writeString(broken, "{\"format\": \"nbdscope-session\", \"schema\": ");
        Run r = run(false, "gui", "--smoke", broken.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).contains("smoke: no target is open");
    }

    @Test
    void otherBareArgumentsStayUsageErrorsAndTheCliLauncherRefusesSessions() {
        Run r = run(false, "notasession.txt");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("unknown command 'notasession.txt' (commands: info, list, map").contains("ends in .nbdscope");
        Run cli = run(true, "x.nbdscope");
        assertThat(cli.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err()).contains("'x.nbdscope' is a session file, which opens in the desktop app");
    }
}
