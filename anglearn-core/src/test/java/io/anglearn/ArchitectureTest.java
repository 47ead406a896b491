package io.anglearn;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layering of docs/architecture.md, checked on the library's compiled classes: no
 * package depends on another that depends back on it, and each package uses only the packages
 * below it.
 */
class ArchitectureTest {

    private static JavaClasses library;

    @BeforeAll
    static void importLibrary() {
        library = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.anglearn");
    }

    @Test
    void theLibraryIsThere() {
        // A rule checked on no classes passes; make sure the import found the packages it checks.
        assertTrue(library.containPackage("io.anglearn.run") && library.containPackage("io.anglearn.train")
                && library.containPackage("io.anglearn.report.tensorboard"), "the library's classes were not found");
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.anglearn.(**)").should().beFreeOfCycles().check(library);
    }

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        ArchRule layers = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("util").definedBy("io.anglearn.util")
                .layer("metrics").definedBy("io.anglearn.metrics")
                .layer("engine").definedBy("io.anglearn.engine")
                .layer("data").definedBy("io.anglearn.data")
                .layer("loss").definedBy("io.anglearn.loss..")
                .layer("model").definedBy("io.anglearn.model")
                .layer("rundir").definedBy("io.anglearn.rundir")
                .layer("train").definedBy("io.anglearn.train")
                .layer("report").definedBy("io.anglearn.report..")
                .layer("run").definedBy("io.anglearn.run")
                .layer("index").definedBy("io.anglearn.index")
                .layer("serve").definedBy("io.anglearn.serve")
                .layer("study").definedBy("io.anglearn.study")
                .whereLayer("util").mayNotAccessAnyLayer()
                .whereLayer("metrics").mayNotAccessAnyLayer()
                .whereLayer("engine").mayOnlyAccessLayers("util")
                .whereLayer("data").mayOnlyAccessLayers("util")
                .whereLayer("loss").mayOnlyAccessLayers("engine", "util")
                .whereLayer("model").mayOnlyAccessLayers("loss", "engine", "util")
                .whereLayer("rundir").mayOnlyAccessLayers("util")
                .whereLayer("train").mayOnlyAccessLayers("data", "model", "loss", "metrics", "rundir", "engine", "util")
                .whereLayer("report").mayOnlyAccessLayers("train", "data", "model", "loss", "metrics", "rundir",
                        "engine", "util")
                .whereLayer("run").mayOnlyAccessLayers("train", "report", "rundir", "data", "model", "loss", "metrics",
                        "engine", "util")
                .whereLayer("index").mayOnlyAccessLayers("run", "train", "rundir", "data", "model", "loss", "metrics",
                        "engine", "util")
                .whereLayer("serve").mayOnlyAccessLayers("index", "run", "train", "rundir", "data", "model", "loss",
                        "metrics", "engine", "util")
                .whereLayer("study").mayOnlyAccessLayers("run", "report", "train", "rundir", "data", "model", "loss",
                        "metrics", "engine", "util");
        layers.check(library);
    }

    @Test
    void theRecorderReachesTheRunDirectoryOnlyThroughRundir() {
        // report.tensorboard writes inside a run directory; it must not need the report package above it.
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses().that()
                .resideInAPackage("io.anglearn.report.tensorboard").should().dependOnClassesThat()
                .resideInAPackage("io.anglearn.report").check(library);
    }
}
