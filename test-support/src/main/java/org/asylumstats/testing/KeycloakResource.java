package org.asylumstats.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/** Points a Quarkus test's OIDC configuration at the JVM's real Keycloak. */
public class KeycloakResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Keycloak keycloak = Keycloak.shared();
        return Map.of(
                "quarkus.oidc.auth-server-url", keycloak.issuer(),
                "quarkus.oidc.credentials.secret", Keycloak.LOCAL_GATEWAY_SECRET);
    }

    @Override
    public void stop() {
        // lives as long as the test JVM
    }
}
