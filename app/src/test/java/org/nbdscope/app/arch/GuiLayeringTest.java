package org.nbdscope.app.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import javafx.application.Platform;
import org.junit.jupiter.api.Test;
import org.nbdscope.app.gui.GuiLauncher;
import org.nbdscope.engine.extent.ExtentKind;

/**
 * The desktop app's layers: views ({@code org.nbdscope.app.gui}) see the engine only through view models
 * ({@code gui.model}), except for the plain value types listed here; view models never know the views;
 * background work goes through the task runner.
 */
class GuiLayeringTest {
    /** Engine types a view may name: plain values, no behaviour that touches I/O. */
    static final Class<?>[] VALUE_TYPES_VIEWS_MAY_USE = {ExtentKind.class};

    private final JavaClasses app = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.nbdscope.app");

    @Test
    void viewsReachTheEngineOnlyThroughViewModels() {
        var allowed = equivalentTo(VALUE_TYPES_VIEWS_MAY_USE[0]);
        for (Class<?> c : VALUE_TYPES_VIEWS_MAY_USE) allowed = allowed.or(equivalentTo(c));
        noClasses().that().resideInAPackage("org.nbdscope.app.gui")
            .should().dependOnClassesThat(resideInAPackage("org.nbdscope.engine..").and(not(allowed)))
            .because("views bind to view models; only plain value types of the engine may appear in them")
            .check(app);
    }

    @Test
    void viewModelsAndTheTaskRunnerNeverKnowTheViews() {
        noClasses().that().resideInAnyPackage("org.nbdscope.app.gui.model..", "org.nbdscope.app.gui.task..")
            .should().dependOnClassesThat().resideInAPackage("org.nbdscope.app.gui")
            .check(app);
    }

    @Test
    void theTaskRunnerIsPlainJavaFxAndJava() {
        noClasses().that().resideInAPackage("org.nbdscope.app.gui.task..")
            .should().dependOnClassesThat().resideInAnyPackage("org.nbdscope.engine..", "org.controlsfx..")
            .check(app);
    }

    @Test
    void onlyTheTaskRunnerAndTheLauncherHopThreads() {
        noClasses().that().resideInAnyPackage("org.nbdscope.app.gui", "org.nbdscope.app.gui.model..")
            .and().doNotBelongToAnyOf(GuiLauncher.class)
            .should().callMethod(Platform.class, "runLater", Runnable.class)
            .orShould().callConstructor(Thread.class, Runnable.class)
            .orShould().callMethod(java.util.concurrent.CompletableFuture.class, "runAsync", Runnable.class)
            .orShould().callMethod(java.util.concurrent.CompletableFuture.class, "supplyAsync", java.util.function.Supplier.class)
            .because("background work and FX-thread publishing go through the TaskRunner")
            .check(app);
    }

    @Test
    void viewsAndViewModelsStayOutOfTheCommandLine() {
        noClasses().that().resideInAPackage("org.nbdscope.app.gui..")
            .should().dependOnClassesThat().resideInAnyPackage("org.nbdscope.app.cli..", "picocli..")
            .check(app);
    }
}
