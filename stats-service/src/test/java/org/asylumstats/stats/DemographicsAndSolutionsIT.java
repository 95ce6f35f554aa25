package org.asylumstats.stats;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Demographics, solutions and their sex x age split against the built artifact (the native executable with -Pnative). */
@QuarkusIntegrationTest
class DemographicsAndSolutionsIT extends DemographicsAndSolutionsTest {
}
