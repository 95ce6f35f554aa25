package org.asylumstats.gateway;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The dashboard's code-flow login against the built artifact (the native executable with -Pnative). */
@QuarkusIntegrationTest
class DashboardSessionIT extends DashboardSessionTest {
}
