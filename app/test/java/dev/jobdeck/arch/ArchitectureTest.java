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

    @ArchTest
    static final ArchRule modelsImportNothingFromTheSceneGraph = noClasses().that().haveSimpleNameEndingWith("Model")
            .should().dependOnClassesThat().resideInAPackage("javafx.scene..");
}
