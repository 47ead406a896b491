package io.anglearn.solr;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The solr package's place in docs/architecture.md: it stands on {@code index} (and what that
 * uses), beside {@code serve}; nothing of the library's packages above {@code index} is used, and
 * Solr's own classes are never needed at run time (only the tests run Solr).
 */
class SolrArchitectureTest {

    @Test
    void solrUsesIndexAndWhatItUsesButNothingAboveItNorSolrItself() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.anglearn.solr");
        assertTrue(classes.contain(SolrCollection.class.getName()), "the solr package's classes were not found");
        noClasses().that().resideInAPackage("io.anglearn.solr..").should().dependOnClassesThat()
                .resideInAnyPackage("io.anglearn.serve..", "io.anglearn.study..", "io.anglearn.export..",
                        "io.anglearn.cli..", "org.apache.solr..", "org.eclipse.jetty..")
                .check(classes);
    }
}
