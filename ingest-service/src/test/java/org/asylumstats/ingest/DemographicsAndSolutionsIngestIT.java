package org.asylumstats.ingest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The demographics and solutions corpus and formats against the built artifact (the native executable with -Pnative). */
@QuarkusIntegrationTest
class DemographicsAndSolutionsIngestIT extends DemographicsAndSolutionsIngestTest {
}
