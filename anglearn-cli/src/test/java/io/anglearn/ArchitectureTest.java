package io.anglearn;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The modules and the package layering of docs/architecture.md, checked on the compiled classes of
 * every module (this test lives in the command line's module, the one that has them all): each
 * package is in its module, no package depends on another that depends back on it, and each
 * package uses only the packages below it.
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
        for (String p : MODULE.keySet()) {
            assertTrue(library.containPackage("io.anglearn." + p), "the classes of io.anglearn." + p + " were not found");
        }
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
        USES.put("record", List.of("train", "rundir"));
        USES.put("run", List.of("train", "record", "rundir"));
        USES.put("report", List.of("record", "loss"));
        USES.put("index", List.of("run"));
        USES.put("serve", List.of("index", "run"));
        USES.put("study", List.of("run", "report"));
        USES.put("export", List.of("run"));
    }

    /** The module (Maven artifact) of each package: the library, what is drawn from runs, search and serving. */
    static final Map<String, String> MODULE = new LinkedHashMap<>();

    static {
        for (String p : List.of("util", "metrics", "engine", "data", "loss", "model", "rundir", "train", "record",
                "run", "export")) {
            MODULE.put(p, "anglearn-core");
        }
        MODULE.put("report", "anglearn-report");
        MODULE.put("study", "anglearn-report");
        MODULE.put("index", "anglearn-search");
        MODULE.put("serve", "anglearn-search");
        MODULE.put("bench", "anglearn-bench");
        MODULE.put("cli", "anglearn-cli");
    }

    private static final Pattern MODULE_IN_LOCATION = Pattern.compile("/(anglearn-[a-z]+)(?:/target/|-\\d)");

    /** The module a class was loaded from: its classes folder or jar names it. */
    static String moduleOf(JavaClass c) {
        String uri = c.getSource().map(s -> s.getUri().toString()).orElse("");
        Matcher m = MODULE_IN_LOCATION.matcher(uri);
        return m.find() ? m.group(1) : "(unknown: " + uri + ")";
    }

    @Test
    void eachPackageIsInItsModule() {
        List<String> wrong = new ArrayList<>();
        for (JavaClass c : library) {
            String top = c.getPackageName().replaceFirst("^io\\.anglearn\\.?", "").replaceFirst("\\..*", "");
            String expected = top.isEmpty() ? "anglearn-core" : MODULE.get(top);
            if (expected == null) {
                wrong.add(c.getName() + ": package io.anglearn." + top + " has no module in MODULE (docs/architecture.md)");
            } else if (!expected.equals(moduleOf(c))) {
                wrong.add(c.getName() + ": in " + moduleOf(c) + ", expected " + expected);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void eachPackageUsesOnlyThePackagesBelowIt() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String name : USES.keySet()) {
            // loss and record hold sub-packages (miners, tensorboard) that belong to them.
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
        // record.tensorboard writes inside a run directory; it must not need the report package above it.
        noClasses().that()
                .resideInAPackage("io.anglearn.record.tensorboard").should().dependOnClassesThat()
                .resideInAPackage("io.anglearn.report").check(library);
    }
}
