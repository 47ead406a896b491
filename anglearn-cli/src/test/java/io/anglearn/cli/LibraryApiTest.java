package io.anglearn.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command line reaches the library only through its public API, as docs/architecture.md
 * defines it: not through the library's implementation classes, which the library is free to
 * change. The compiler already keeps it out of package-private classes.
 */
class LibraryApiTest {

    /** The packages whose classes are the library's implementation, used by the packages above them only. */
    static final String[] IMPLEMENTATION_PACKAGES = {"io.anglearn.record.tensorboard.."};

    /** The public classes that are the library's implementation: the step loop, its state and the recorder. */
    static final Set<String> IMPLEMENTATION_CLASSES = Set.of(
            "io.anglearn.train.Trainer",
            "io.anglearn.train.MultiDeviceParameterServer",
            "io.anglearn.train.TrainingState",
            "io.anglearn.train.EpochProgress",
            "io.anglearn.record.RunRecorder",
            "io.anglearn.record.RunLog",
            "io.anglearn.record.MetricsTable",
            "io.anglearn.rundir.RunDirectoryLock",
            "io.anglearn.rundir.RunManifest",
            "io.anglearn.engine.NativeAllocator",
            "io.anglearn.engine.NativeStderr",
            "io.anglearn.engine.ArrayEncoding");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.anglearn");
    }

    @Test
    void theCommandsAndTheLibraryAreThere() {
        // A rule checked on no classes passes; make sure the import found both sides.
        assertTrue(classes.containPackage("io.anglearn.cli") && classes.containPackage("io.anglearn.run"),
                "the command line's or the library's classes were not found");
    }

    @Test
    void theCommandLineUsesNoImplementationClass() {
        DescribedPredicate<JavaClass> implementation = DescribedPredicate.describe(
                "are implementation classes of the library " + IMPLEMENTATION_CLASSES,
                c -> IMPLEMENTATION_CLASSES.contains(c.getName()));
        noClasses().that().resideInAPackage("io.anglearn.cli..").should().dependOnClassesThat(implementation)
                .orShould().dependOnClassesThat().resideInAnyPackage(IMPLEMENTATION_PACKAGES)
                .check(classes);
    }

    @Test
    void theCommandLineTakesOnlyTheTrainingStepBenchmarkFromTheBenchModule() {
        // anglearn-cli depends on anglearn-bench for `anglearn bench` alone (docs/architecture.md).
        noClasses().that().resideInAPackage("io.anglearn.cli..").should().dependOnClassesThat(
                DescribedPredicate.describe("are benchmarks other than TrainStepBenchmark",
                        c -> c.getPackageName().startsWith("io.anglearn.bench")
                                && !c.getName().startsWith("io.anglearn.bench.TrainStepBenchmark")))
                .check(classes);
    }
}
