package org.nbdscope.app.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.nbdscope.engine.nbd.NbdUri;
import org.nbdscope.engine.nbd.client.ClientOptions;
import org.nbdscope.engine.nbd.client.NbdClient;
import org.nbdscope.engine.nbd.client.NbdConnection;
import org.nbdscope.engine.source.BlockSource;
import org.nbdscope.engine.source.OpenOptions;
import org.nbdscope.engine.source.SourceDetails;
import org.nbdscope.engine.source.Sources;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
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

    @Parameters(index = "0", paramLabel = "TARGET", description = "NBD URI (nbd://HOST[:PORT]/EXPORT, nbds://..., nbd+unix:///EXPORT?socket=PATH), an image file, or demo")
    String target;

    @Option(names = "--json", description = "Print JSON (nbdinfo --json keys where they exist, plus nbdscope's).")
    boolean json;

    @Override
    public Integer call() {
        if (!Sources.isBuiltIn(target) && !NbdUri.looksLikeNbd(target) && Files.exists(Path.of(target))) return imageInfo();
        ClientOptions options = ClientOptions.defaults().withListContexts(true);
        try (NbdConnection c = Sources.DEMO.equals(target)
                ? Sources.openDemo(options)
                : target.startsWith(Sources.MEMORY_PREFIX) ? Sources.openMemory(target, options)
                : NbdClient.connect(NbdUri.parse(target), options)) {
            NbdUri uri = c.uri();
            PrintWriter out = spec.commandLine().getOut();
            String text = json ? InfoFormat.json(uri, c.negotiated()) : InfoFormat.text(uri, c.negotiated());
            out.print(text);
            out.flush();
        }
        return ExitCodes.OK;
    }

    /** An image file: its format, size, header facts and backing chain, from the reader's detail rows. */
    private int imageInfo() {
        try (BlockSource src = Sources.open(target, OpenOptions.defaults())) {
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode root = JsonMapper.builder().build().createObjectNode();
                root.put("path", target);
                root.put("export-size", src.size());
                root.put("read-only", src.readOnly());
                ObjectNode rows = root.putObject("details");
                for (SourceDetails.Row r : src.details().rows()) rows.put(r.name(), r.value());
                out.println(root.toPrettyString());
            } else {
                out.println("image " + target + ":");
                out.println("\texport-size: " + src.size());
                String group = null;
                for (SourceDetails.Row r : src.details().rows()) {
                    if (!r.group().equals(group)) out.println("\t" + (group = r.group()) + ":");
                    out.println("\t\t" + r.name() + ": " + r.value());
                }
            }
            out.flush();
        }
        return ExitCodes.OK;
    }
}
