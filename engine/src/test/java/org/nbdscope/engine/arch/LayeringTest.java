package org.nbdscope.engine.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine is a plain library: no JavaFX, no picocli, nothing from the app. */
class LayeringTest {
    private final JavaClasses engine = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.nbdscope.engine");

    @Test
    void engineNeverImportsJavaFx() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..")
            .because("the engine is a plain Java library; JavaFX lives in app").check(engine);
    }

    @Test
    void engineNeverImportsTheApp() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("org.nbdscope.app..", "picocli..")
            .because("front ends depend on the engine, never the other way").check(engine);
    }
}
