package org.nbdscope.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.nbdscope.app.cli.ExitCodes;

class CliMainTest {
    @Test
    void refusesTheDesktopEntryPointsAndPrintsUsageWithoutArguments() {
        assertThat(CliMain.run("gui")).isEqualTo(ExitCodes.USAGE);
        assertThat(CliMain.run("--smoke")).isEqualTo(ExitCodes.USAGE);
        assertThat(CliMain.run()).isEqualTo(ExitCodes.OK);
        assertThat(CliMain.run("map", "--help")).isEqualTo(ExitCodes.OK);
    }
}
