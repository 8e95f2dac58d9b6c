package org.nbdscope.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Usage errors, malformed URIs and unreachable servers: readable messages and the documented exit codes. */
class CliErrorsTest {

    @ParameterizedTest
    @ValueSource(strings = {"info", "list", "map"})
    void everyCommandHasHelp(String command) {
        Cli r = Cli.run(command, "--help");
        assertThat(r.exit()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).contains("Usage: nbdscope " + command).contains("URI").contains("Exit codes:");
    }

    @Test
    void mapHelpListsItsOptionsButNotTheHiddenOnes() {
        Cli r = Cli.run("map", "--help");
        assertThat(r.out()).contains("--context").contains("--totals").contains("--json").contains("--in-flight")
            .doesNotContain("--stats");
        assertThat(Cli.run("--help").out()).contains("info").contains("list").contains("map").doesNotContain("aot-training");
    }

    @Test
    void missingArgumentsAndUnknownOptionsAreUsageErrors() {
        Cli r = Cli.run("map");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Missing required parameter: 'TARGET'");
        r = Cli.run("map", "--frobnicate", "nbd://localhost/");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--frobnicate");
        r = Cli.run("nosuchcommand");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        r = Cli.run("map", "--in-flight", "0", "nbd://127.0.0.1:1/");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--in-flight must be 1..1024, not 0");
        r = Cli.run("map", "--in-flight", "many", "nbd://127.0.0.1:1/");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--in-flight").contains("many");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "nbd://127.0.0.1:99999/          | port 99999",
        "nbd://127.0.0.1:abc/            | port 'abc'",
        "http://127.0.0.1/disk           | scheme 'http'",
        "nbd+unix:///disk                | socket=",
        "nbd://127.0.0.1/disk?frob=1     | 'frob'",
        "nbd://[::1/disk                 | ::1",
        "nbd://127.0.0.1/%zz             | %zz",
    })
    void malformedUrisExitTwoNamingTheBadPart(String uri, String named) {
        for (String command : new String[] {"info", "list", "map"}) {
            Cli r = Cli.run(command, uri.trim());
            assertThat(r.exit()).as("%s %s: %s", command, uri, r).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as("%s %s", command, uri).startsWith("nbdscope: " + command + ": ").contains(named.trim());
            assertThat(r.out()).isEmpty();
        }
    }

    @Test
    void unreachableServerFailsWithExitOneAndSaysWhere() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        for (String command : new String[] {"info", "list", "map"}) {
            Cli r = Cli.run(command, "nbd://127.0.0.1:" + port + "/");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.err()).isEqualTo("nbdscope: " + command + ": cannot connect to 127.0.0.1:" + port + ": connection refused\n");
            assertThat(r.out()).isEmpty();
        }
        for (String command : new String[] {"info", "list", "map"}) {
            Cli r = Cli.run(command, "nbd+unix:///?socket=/nonexistent/nbdscope-test.sock");
            assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
            assertThat(r.err()).isEqualTo("nbdscope: " + command
                + ": no such socket /nonexistent/nbdscope-test.sock: the file does not exist (is the server running?)\n");
        }
        Cli r = Cli.run("info", "nbd://nosuchhost.invalid/");
        assertThat(r.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(r.err()).startsWith("nbdscope: info: ").contains("nosuchhost.invalid").doesNotContain("Exception");
    }
}
