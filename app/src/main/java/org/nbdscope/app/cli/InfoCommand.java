package org.nbdscope.app.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.client.ClientOptions;
import org.nbdscope.engine.nbd.client.NbdClient;
import org.nbdscope.engine.nbd.client.NbdConnection;
import org.nbdscope.engine.source.Sources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nbdscope info URI}: what one connection negotiated, in nbdinfo's style. */
@Command(name = "info", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Connects to an export and prints what was negotiated: export name, description, size,",
        "transmission flags in words, header mode (simple, structured, extended), TLS, block sizes,",
        "meta contexts and the zero flag (NBD_INFO_INIT_STATE) as sent, or \"not sent\"."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:connected and printed", "1:failed (connection, TLS or handshake error)", "2:usage error or malformed URI"})
public final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URI", description = "NBD URI: nbd://HOST[:PORT]/EXPORT, nbds://..., nbd+unix:///EXPORT?socket=PATH")
    String target;

    @Option(names = "--json", description = "Print JSON (nbdinfo --json keys where they exist, plus nbdscope's).")
    boolean json;

    @Override
    public Integer call() {
        ClientOptions options = ClientOptions.defaults().withListContexts(true);
        try (NbdConnection c = Sources.DEMO.equals(target)
                ? Sources.openDemo(options)
                : NbdClient.connect(NbdUri.parse(target), options)) {
            NbdUri uri = c.uri();
            PrintWriter out = spec.commandLine().getOut();
            String text = json ? InfoFormat.json(uri, c.negotiated()) : InfoFormat.text(uri, c.negotiated());
            out.print(text);
            out.flush();
        }
        return ExitCodes.OK;
    }
}
