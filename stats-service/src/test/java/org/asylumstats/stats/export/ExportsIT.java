package org.asylumstats.stats.export;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Exports against the built artifact (the native executable with -Pnative). */
@QuarkusIntegrationTest
class ExportsIT extends ExportsTest {
}
