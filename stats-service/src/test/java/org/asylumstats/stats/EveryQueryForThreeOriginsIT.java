package org.asylumstats.stats;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Every query for three origins against the built artifact (the native executable with -Pnative). */
@QuarkusIntegrationTest
class EveryQueryForThreeOriginsIT extends EveryQueryForThreeOriginsTest {
}
