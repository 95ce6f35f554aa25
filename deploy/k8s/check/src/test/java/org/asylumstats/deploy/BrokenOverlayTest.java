package org.asylumstats.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Overlays that must not pass: a committed broken one, and one kustomize cannot render. */
class BrokenOverlayTest {

    private static final ManifestCheck CHECK = new ManifestCheck(Repository.CRDS);

    @Test
    void theDeliberatelyBrokenOverlayFailsForEachOfItsFaults() {
        List<String> findings = CHECK.checkOverlay(Repository.K8S.resolve("check/src/test/resources/broken-overlay"), true)
                .stream().map(Object::toString).toList();
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("Deployment gateway") && f.contains("replica")), findings::toString);
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("Deployment gateway container gateway: no readinessProbe")), findings::toString);
        assertTrue(findings.stream().anyMatch(f -> f.startsWith("Cluster asylum-stats-db") && f.contains("instance")), findings::toString);
        assertEquals(3, findings.size(), findings::toString);
    }

    @Test
    void anOverlayKustomizeCannotRenderIsAFinding() throws IOException {
        Path overlay = Files.createTempDirectory("overlay");
        Files.writeString(overlay.resolve("kustomization.yaml"), "resources:\n  - missing.yaml\n");
        List<ManifestCheck.Finding> findings = CHECK.checkOverlay(overlay, true);
        assertEquals(1, findings.size(), findings::toString);
        assertTrue(findings.get(0).problem().startsWith("kustomize cannot render it"), findings::toString);
    }
}
