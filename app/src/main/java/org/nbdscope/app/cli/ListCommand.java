package org.nbdscope.app.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.client.ClientOptions;
import org.nbdscope.engine.nbd.client.ExportDetails;
import org.nbdscope.engine.nbd.client.ExportListing;
import org.nbdscope.engine.nbd.client.NbdClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code nbdscope list URI}: the server's exports with their details, as {@code nbdinfo --list} shows
 * them: {@code NBD_OPT_LIST}, then {@code NBD_OPT_INFO} and {@code NBD_OPT_LIST_META_CONTEXT} per export,
 * without entering transmission.
 */
@Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Lists the exports a server offers (NBD_OPT_LIST) and describes each one (NBD_OPT_INFO,",
        "NBD_OPT_LIST_META_CONTEXT) without entering transmission: description, size, meta contexts, flags,",
        "block sizes and the zero flag, as nbdinfo --list does. The export name in the URI is ignored.",
        "A size of 0 from NBD_OPT_INFO (nbd-server 3.24 reports 0 for every export) is confirmed with",
        "NBD_OPT_GO on a fresh connection; the size-note row says when the size came from there, or that",
        "the 0 could not be confirmed. Exports the server refuses to describe are reported on standard error."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:listed and described every export", "1:failed (connection error, the server refuses to list, or an export could not be described)",
        "2:usage error or malformed URI"})
public final class ListCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "URI", description = "NBD URI of the server: nbd://HOST[:PORT], nbds://..., nbd+unix:///?socket=PATH")
    String target;

    @Option(names = "--json", description = "Print JSON in nbdinfo --list --json's shape, plus nbdscope's keys (header-mode, init-state, size-note).")
    boolean json;

    @Override
    public Integer call() {
        NbdUri uri = NbdUri.parse(target);
        ExportListing listing = NbdClient.listDetails(uri, ClientOptions.defaults().withMetaContexts(List.of()));
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? ListFormat.json(uri, listing) : ListFormat.text(uri, listing));
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        for (ExportDetails d : listing.exports()) {
            if (!d.ok()) err.println("nbdscope: list: " + d.error());
        }
        err.flush();
        return listing.allOk() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
