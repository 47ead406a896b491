package io.anglearn;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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

    /**
     * The arrows of the package diagram in docs/architecture.md: each package and the packages it
     * uses directly, lowest first. A package may use what those use too.
     */
    private static final Map<String, List<String>> USES = new LinkedHashMap<>();

    static {
        USES.put("util", List.of());
        USES.put("metrics", List.of());
        USES.put("engine", List.of("util"));
        USES.put("data", List.of("util"));
        USES.put("loss", List.of("engine"));
        USES.put("model", List.of("loss"));
        USES.put("rundir", List.of("util"));
        USES.put("train", List.of("data", "model", "metrics", "rundir"));
        USES.put("report", List.of("train", "rundir"));
        USES.put("run", List.of("train", "report", "rundir"));
        USES.put("index", List.of("run"));
        USES.put("serve", List.of("index", "run"));
        USES.put("study", List.of("run", "report"));
        USES.put("export", List.of("run"));
    }

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String name : USES.keySet()) {
            // loss and report hold sub-packages (miners, tensorboard) that belong to them.
            layers = layers.layer(name).definedBy("io.anglearn." + name + "..");
        }
        for (String name : USES.keySet()) {
            Set<String> below = below(name);
            layers = below.isEmpty() ? layers.whereLayer(name).mayNotAccessAnyLayer()
                    : layers.whereLayer(name).mayOnlyAccessLayers(below.toArray(String[]::new));
        }
        layers.check(library);
    }

    /** The packages a package may use: those it points to, and theirs, transitively. */
    private static Set<String> below(String name) {
        Set<String> out = new TreeSet<>();
        for (String used : USES.get(name)) {
            out.add(used);
            out.addAll(below(used));
        }
        return out;
    }

    @Test
    void theRecorderReachesTheRunDirectoryOnlyThroughRundir() {
        // report.tensorboard writes inside a run directory; it must not need the report package above it.
        noClasses().that()
                .resideInAPackage("io.anglearn.report.tensorboard").should().dependOnClassesThat()
                .resideInAPackage("io.anglearn.report").check(library);
    }
}
