package org.asylumstats.ingest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The real releases, uploaded and published, against the built artifact (the native executable with -Pnative). */
@QuarkusIntegrationTest
class RealReleasesIT extends RealReleasesTest {
}
