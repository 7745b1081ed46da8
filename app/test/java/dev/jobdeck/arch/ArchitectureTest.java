package dev.jobdeck.arch;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

@AnalyzeClasses(packages = "dev.jobdeck", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule coreNeverImportsJavaFx = noClasses().that().resideInAPackage("dev.jobdeck.core..")
            .should().dependOnClassesThat().resideInAPackage("javafx..");

    @ArchTest
    static final ArchRule coreNeverDependsOnUiOrCli = noClasses().that().resideInAPackage("dev.jobdeck.core..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.jobdeck.ui..", "dev.jobdeck.cli..");

    /** The store keeps tables (mail values included) and knows nothing of the job engine, hosts or settings. */
    @ArchTest
    static final ArchRule storeDependsOnNoOuterCorePackage = noClasses().that().resideInAPackage("dev.jobdeck.core.store..")
            .should().dependOnClassesThat().resideInAnyPackage("dev.jobdeck.core.jobs..", "dev.jobdeck.core.hosts..",
                    "dev.jobdeck.core.settings..");

    /** Jobs know nothing of host processes: the supervisor drives the engine, never the other way round. */
    @ArchTest
    static final ArchRule jobsDoNotReachIntoHosts = noClasses().that().resideInAPackage("dev.jobdeck.core.jobs..")
            .should().dependOnClassesThat().resideInAPackage("dev.jobdeck.core.hosts..");

    @ArchTest
    static final ArchRule modelsImportNothingFromTheSceneGraph = noClasses().that().haveSimpleNameEndingWith("Model")
            .should().dependOnClassesThat().resideInAPackage("javafx.scene..");
}
