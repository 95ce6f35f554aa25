package org.asylumstats.ingest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The malformed-input corpus against the built artifact (the native executable with -Pnative). */
@QuarkusIntegrationTest
class MalformedInputIT extends MalformedInputTest {
}
