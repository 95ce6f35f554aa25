package org.asylumstats.ingest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** Concurrent publications and database failures against the built artifact (the native executable with -Pnative). */
@QuarkusIntegrationTest
class ConcurrencyAndFailureIT extends ConcurrencyAndFailureTest {
}
