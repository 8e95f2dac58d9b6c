import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Build step (run by app/pom.xml as a single-file program): rewrites, in place, the class files of a jar
 * that are older than Java 6 (version 50, the first with stack maps) to Java 8's version 52, regenerating
 * their stack maps with the JDK's own java.lang.classfile API. The code itself is unchanged.
 *
 * <p>Why: the JDK's ahead-of-time cache (JDK 25 -XX:AOTCache) skips classes of version < 50, since they
 * need the old type-inferencing verifier; picocli ships Java 5 class files, so every run of the command
 * line loaded, verified and linked its ~170 classes from the jar (~60-90 ms). Rewritten, they come from the
 * cache like the rest. A jar with nothing older than 50 is left as it is, so running this twice is harmless.
 *
 * <p>Usage: java ModernizeJar.java JAR...
 */
public final class ModernizeJar {
    private static final int OLDEST_WITH_STACK_MAPS = 50;
    private static final int TARGET = 52;

    public static void main(String[] args) throws IOException {
        if (args.length == 0) {
            System.err.println("usage: java ModernizeJar.java JAR...");
            System.exit(2);
        }
        for (String a : args) modernize(Path.of(a));
    }

    static void modernize(Path jar) throws IOException {
        Map<String, JarEntry> entries = new LinkedHashMap<>();
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        try (JarFile jf = new JarFile(jar.toFile(), false)) {
            for (JarEntry e : Collections.list(jf.entries())) {
                entries.put(e.getName(), e);
                try (var in = jf.getInputStream(e)) {
                    bytes.put(e.getName(), in.readAllBytes());
                }
            }
        }
        // the stack-map generator needs the class hierarchy: the jar's own classes, then the JDK's
        ClassHierarchyResolver resolver = ClassHierarchyResolver.ofResourceParsing(desc -> {
            String d = desc.descriptorString();
            byte[] b = bytes.get(d.substring(1, d.length() - 1) + ".class");
            return b == null ? null : new ByteArrayInputStream(b);
        }).orElse(ClassHierarchyResolver.defaultResolver()).cached();
        ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
            ClassFile.ClassHierarchyResolverOption.of(resolver));
        ClassTransform setVersion = (cb, ce) -> {
            if (ce instanceof ClassFileVersion) cb.withVersion(TARGET, 0);
            else cb.with(ce);
        };
        // rebuilding every method body is what makes the API generate the stack maps
        ClassTransform transform = setVersion.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL));
        int rewritten = 0;
        for (Map.Entry<String, byte[]> e : bytes.entrySet()) {
            String name = e.getKey();
            if (!name.endsWith(".class") || name.startsWith("META-INF/")) continue;
            ClassModel cm = cf.parse(e.getValue());
            if (cm.majorVersion() >= OLDEST_WITH_STACK_MAPS) continue;
            e.setValue(cf.transformClass(cm, transform));
            rewritten++;
        }
        if (rewritten == 0) {
            System.out.println("ModernizeJar: " + jar.getFileName() + ": nothing older than class-file version " + OLDEST_WITH_STACK_MAPS);
            return;
        }
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(tmp))) {
            for (Map.Entry<String, byte[]> e : bytes.entrySet()) {
                JarEntry old = entries.get(e.getKey());
                JarEntry je = new JarEntry(e.getKey());
                je.setTime(old.getTime());
                out.putNextEntry(je);
                out.write(e.getValue());
                out.closeEntry();
            }
        }
        Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING);
        System.out.println("ModernizeJar: " + jar.getFileName() + ": " + rewritten + " classes rewritten to version " + TARGET + " with stack maps");
    }
}
