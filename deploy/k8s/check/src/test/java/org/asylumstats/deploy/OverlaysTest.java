package org.asylumstats.deploy;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every overlay renders and passes the check as an API server and the policies would let it in. */
class OverlaysTest {

    private static final ManifestCheck CHECK = new ManifestCheck(Repository.CRDS);

    @Test
    void devOverlayIsValid() {
        assertClean(CHECK.checkOverlay(Repository.K8S.resolve("overlays/dev"), false));
    }

    @Test
    void prodOverlayIsValid() {
        assertClean(CHECK.checkOverlay(Repository.K8S.resolve("overlays/prod"), true));
    }

    @Test
    void prodOverlayRendersEveryPartOfTheSystem() {
        List<String> kinds = ManifestCheck.parse(Kubectl.kustomize(Repository.K8S.resolve("overlays/prod"))).stream()
                .map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText()).toList();
        for (String expected : List.of("Deployment/gateway", "Deployment/stats-service", "Deployment/ingest-service",
                "HorizontalPodAutoscaler/gateway", "HorizontalPodAutoscaler/stats-service", "NetworkPolicy/default-deny",
                "Ingress/asylum-stats", "Cluster/asylum-stats-db", "Keycloak/keycloak", "KeycloakRealmImport/asylum-stats-realm")) {
            assertTrue(kinds.contains(expected), expected + " in " + kinds);
        }
    }

    static void assertClean(List<ManifestCheck.Finding> findings) {
        assertTrue(findings.isEmpty(), () -> findings.stream().map(Object::toString).collect(Collectors.joining("\n", "\n", "")));
    }
}
