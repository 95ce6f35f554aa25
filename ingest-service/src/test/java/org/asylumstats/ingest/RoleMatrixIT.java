package org.asylumstats.ingest;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The role matrix against the built artifact (the native executable with -Pnative). */
@QuarkusIntegrationTest
class RoleMatrixIT extends RoleMatrixTest {
}
