package org.asylumstats.stats;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Reference periods, measures and both recognition rates against the built artifact (the native executable with -Pnative). */
@QuarkusIntegrationTest
class ReferencePeriodsIT extends ReferencePeriodsTest {
}
