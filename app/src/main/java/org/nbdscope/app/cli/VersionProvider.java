package org.nbdscope.app.cli;

import picocli.CommandLine;

/** {@code nbdscope --version}: the build version and the JVM it runs on. */
public final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"nbdscope " + (v == null ? "dev" : v),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")"};
    }
}
