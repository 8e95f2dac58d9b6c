package org.nbdscope.app.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.client.ClientOptions;
import org.nbdscope.engine.nbd.client.ExportEntry;
import org.nbdscope.engine.nbd.client.NbdClient;
import org.nbdscope.engine.report.NbdinfoFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code nbdscope list URI}: the server's exports ({@code NBD_OPT_LIST}) with their descriptions. */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Lists the exports a server offers (NBD_OPT_LIST): name and description of each.",
        "The export name in the URI is ignored."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:listed", "1:failed (connection error, or the server refuses to list)", "2:usage error or malformed URI"})
public final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URI", description = "NBD URI of the server: nbd://HOST[:PORT], nbds://..., nbd+unix:///?socket=PATH")
    String target;

    @Option(names = "--json", description = "Print JSON: {\"exports\": [{\"export-name\": ..., \"description\": ...}]}.")
    boolean json;

    @Override
    public Integer call() {
        List<ExportEntry> exports = NbdClient.list(NbdUri.parse(target), ClientOptions.defaults().withMetaContexts(List.of()));
        StringBuilder b = new StringBuilder();
        if (json) {
            b.append("{\n\"exports\": [");
            for (int i = 0; i < exports.size(); i++) {
                ExportEntry e = exports.get(i);
                b.append(i == 0 ? "\n" : ",\n").append("\t{ \"export-name\": ");
                NbdinfoFormat.jsonString(b, e.name());
                if (!e.description().isEmpty()) {
                    b.append(", \"description\": ");
                    NbdinfoFormat.jsonString(b, e.description());
                }
                b.append(" }");
            }
            b.append(exports.isEmpty() ? "]\n}\n" : "\n]\n}\n");
        } else {
            for (ExportEntry e : exports) {
                b.append("export=");
                NbdinfoFormat.jsonString(b, e.name());
                b.append(":\n");
                if (!e.description().isEmpty()) b.append("\tdescription: ").append(e.description()).append('\n');
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(b);
        out.flush();
        return ExitCodes.OK;
    }
}
