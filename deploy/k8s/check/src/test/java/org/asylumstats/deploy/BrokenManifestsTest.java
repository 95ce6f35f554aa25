package org.asylumstats.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The check can fail: each case breaks one thing in the rendered production overlay and expects the
 * finding an API server or the policy would give.
 */
class BrokenManifestsTest {

    private static final ManifestCheck CHECK = new ManifestCheck(Repository.CRDS);
    private static String rendered;

    @BeforeAll
    static void render() {
        rendered = Kubectl.kustomize(Repository.K8S.resolve("overlays/prod"));
    }

    static Stream<Arguments> corpus() {
        return Stream.of(
                broken("unknown field in a Deployment", "replica", o -> spec(o, "Deployment", "gateway").put("replica", 2)),
                broken("quoted integer", "replicas must be an integer", o -> spec(o, "Deployment", "gateway").put("replicas", "3")),
                broken("number where a string belongs", "must be a string",
                        o -> ((ObjectNode) container(o, "gateway").path("env").get(0)).put("value", 8080)),
                broken("bad quantity", "memory must be a quantity", o -> ((ObjectNode) container(o, "gateway").path("resources").path("limits")).put("memory", "1Gb")),
                broken("missing required field", "image",
                        o -> ((ObjectNode) container(o, "stats-service")).remove("image")),
                broken("container without a name", "name", o -> ((ObjectNode) container(o, "ingest-service")).remove("name")),
                broken("Service port without a port number", "port",
                        o -> ((ObjectNode) spec(o, "Service", "gateway").path("ports").get(0)).remove("port")),
                broken("removed API version", "policy/v1beta1 was removed in Kubernetes 1.25",
                        o -> find(o, "PodDisruptionBudget", "gateway").put("apiVersion", "policy/v1beta1")),
                broken("Ingress of extensions/v1beta1", "removed", o -> find(o, "Ingress", "asylum-stats").put("apiVersion", "extensions/v1beta1")),
                broken("kind nobody serves", "no built-in kind or installed CRD", o -> find(o, "Keycloak", "keycloak").put("apiVersion", "k8s.keycloak.org/v1")),
                broken("unknown field in a CloudNativePG Cluster", "instance", o -> spec(o, "Cluster", "asylum-stats-db").put("instance", 3)),
                broken("wrong type in a Cluster", "instances", o -> spec(o, "Cluster", "asylum-stats-db").put("instances", "three")),
                broken("Cluster without its required instances", "instances", o -> spec(o, "Cluster", "asylum-stats-db").remove("instances")),
                broken("unknown field in the Keycloak CR", "hostnames", o -> spec(o, "Keycloak", "keycloak").put("hostnames", "x")),
                broken("unknown field in the realm import", "realms", o -> spec(o, "KeycloakRealmImport", "asylum-stats-realm").put("realms", "x")),
                broken("wrong type inside the realm", "accessTokenLifespan",
                        o -> ((ObjectNode) spec(o, "KeycloakRealmImport", "asylum-stats-realm").path("realm")).put("accessTokenLifespan", "300")),
                broken("no readiness probe", "no readinessProbe", o -> ((ObjectNode) container(o, "gateway")).remove("readinessProbe")),
                broken("no startup probe", "no startupProbe", o -> ((ObjectNode) container(o, "stats-service")).remove("startupProbe")),
                broken("no memory limit", "no resources.limits.memory",
                        o -> ((ObjectNode) container(o, "ingest-service").path("resources").path("limits")).remove("memory")),
                broken("privilege escalation allowed", "allowPrivilegeEscalation",
                        o -> ((ObjectNode) container(o, "gateway").path("securityContext")).put("allowPrivilegeEscalation", true)),
                broken("writable root filesystem", "readOnlyRootFilesystem",
                        o -> ((ObjectNode) container(o, "gateway").path("securityContext")).remove("readOnlyRootFilesystem")),
                broken("capabilities kept", "capabilities",
                        o -> ((ObjectNode) container(o, "gateway").path("securityContext").path("capabilities")).putArray("drop").add("NET_RAW")),
                broken("privileged", "privileged", o -> ((ObjectNode) container(o, "gateway").path("securityContext")).put("privileged", true)),
                broken("root allowed", "runAsNonRoot", o -> {
                    ((ObjectNode) container(o, "gateway").path("securityContext")).remove("runAsNonRoot");
                    ((ObjectNode) podSpec(o, "gateway").path("securityContext")).remove("runAsNonRoot");
                }),
                broken("no seccomp profile", "seccompProfile", o -> ((ObjectNode) podSpec(o, "gateway").path("securityContext")).remove("seccompProfile")),
                broken("workload outside every NetworkPolicy", "no NetworkPolicy selects its pods", o -> {
                    ((ObjectNode) spec(o, "Deployment", "stats-service").path("template").path("metadata").path("labels"))
                            .put("app.kubernetes.io/name", "renamed");
                    ((ObjectNode) spec(o, "Deployment", "stats-service").path("selector").path("matchLabels"))
                            .put("app.kubernetes.io/name", "renamed");
                }),
                broken("workload without a disruption budget", "no PodDisruptionBudget", o -> o.remove(find(o, "PodDisruptionBudget", "ingest-service"))),
                broken("no default deny", "no default-deny policy", o -> o.remove(find(o, "NetworkPolicy", "default-deny"))),
                broken("latest image in production", "latest", o -> ((ObjectNode) container(o, "gateway")).put("image", "registry.example/asylum-stats/gateway:latest")),
                broken("untagged image in production", "must be pinned", o -> ((ObjectNode) container(o, "gateway")).put("image", "registry.example/asylum-stats/gateway")),
                broken("plaintext Secret in production", "secret values in the production overlay", o -> o.add(secret())),
                broken("password as a plain env value", "holds a secret in plain text", o -> ((ArrayNode) container(o, "stats-service").path("env"))
                        .addObject().put("name", "QUARKUS_DATASOURCE_PASSWORD").put("value", "hunter2")),
                broken("env from a ConfigMap that is not rendered", "not rendered",
                        o -> ((ObjectNode) container(o, "gateway").path("envFrom").get(0).path("configMapRef")).put("name", "gateway-confg")),
                broken("autoscaler for a missing Deployment", "not rendered",
                        o -> ((ObjectNode) spec(o, "HorizontalPodAutoscaler", "gateway").path("scaleTargetRef")).put("name", "gatway")),
                broken("Service selecting nothing", "selects no workload", o -> ((ObjectNode) spec(o, "Service", "gateway").path("selector"))
                        .put("app.kubernetes.io/name", "gatway")),
                broken("object without a name", "metadata.name is required", o -> ((ObjectNode) find(o, "ConfigMap", null).path("metadata")).remove("name")),
                broken("probe on the public port", "must use the management port",
                        o -> ((ObjectNode) container(o, "gateway").path("readinessProbe").path("httpGet")).put("port", "http")),
                broken("pools beyond max_connections at full scale-out", "at full scale-out the services open",
                        o -> spec(o, "HorizontalPodAutoscaler", "stats-service").put("maxReplicas", 12)),
                broken("pool size left to the service's default", "does not set QUARKUS_DATASOURCE_JDBC_MAX_SIZE",
                        o -> o.stream().filter(c -> c.path("metadata").path("name").asText().startsWith("stats-service-config-")) // name + content hash
                                .forEach(c -> ((ObjectNode) c.path("data")).remove("QUARKUS_DATASOURCE_JDBC_MAX_SIZE"))),
                broken("connections outside the pool not counted", "at full scale-out the services open",
                        o -> ((ObjectNode) find(o, "Deployment", "stats-service").path("metadata").path("annotations"))
                                .put(ManifestCheck.CONNECTIONS_OUTSIDE_POOL, "5")),
                broken("Keycloak's admin console on the public ingress", "only /realms/<realm>/",
                        o -> ((ObjectNode) spec(o, "Ingress", "keycloak").path("rules").get(0).path("http").path("paths").get(0)).put("path", "/")),
                broken("the master realm on the public ingress", "only /realms/<realm>/",
                        o -> ((ObjectNode) spec(o, "Ingress", "keycloak").path("rules").get(0).path("http").path("paths").get(0)).put("path", "/realms/master/")),
                broken("realm without a password policy", "no passwordPolicy", o -> realm(o).remove("passwordPolicy")),
                broken("realm without events", "events", o -> realm(o).put("eventsEnabled", false)),
                broken("wildcard redirect URI", "is not exact",
                        o -> ((ArrayNode) realm(o).path("clients").get(0).path("redirectUris")).add("https://asylum-stats.example/*")),
                broken("wildcard post-logout redirect URI", "post-logout redirect URI",
                        o -> ((ObjectNode) realm(o).path("clients").get(0).path("attributes")).put("post.logout.redirect.uris", "https://x.example/*")),
                broken("admin-cli's password grant left on", "allows the password grant", o -> {
                    for (JsonNode client : realm(o).path("clients")) {
                        if (client.path("clientId").asText().equals("admin-cli")) {
                            ((ObjectNode) client).put("directAccessGrantsEnabled", true);
                        }
                    }
                }),
                broken("admin-cli left to Keycloak's defaults", "does not declare admin-cli",
                        o -> ((ArrayNode) realm(o).path("clients")).removeIf(c -> c.path("clientId").asText().equals("admin-cli"))));
    }

    private static ObjectNode realm(List<ObjectNode> objects) {
        return (ObjectNode) spec(objects, "KeycloakRealmImport", "asylum-stats-realm").path("realm");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void isRefused(String description, String expected, Consumer<List<ObjectNode>> breakIt) {
        List<ObjectNode> objects = new java.util.ArrayList<>(ManifestCheck.parse(rendered));
        OverlaysTest.assertClean(CHECK.check(objects, true));
        breakIt.accept(objects);
        List<ManifestCheck.Finding> findings = CHECK.check(objects, true);
        assertTrue(findings.stream().anyMatch(f -> f.toString().contains(expected)),
                () -> description + ": expected a finding with \"" + expected + "\", got " + findings);
    }

    private static Arguments broken(String description, String expected, Consumer<List<ObjectNode>> breakIt) {
        return Arguments.of(description, expected, breakIt);
    }

    private static ObjectNode find(List<ObjectNode> objects, String kind, String name) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)
                        && (name == null || o.path("metadata").path("name").asText().equals(name)))
                .findFirst().orElseThrow(() -> new AssertionError(kind + " " + name + " not rendered"));
    }

    private static ObjectNode spec(List<ObjectNode> objects, String kind, String name) {
        return (ObjectNode) find(objects, kind, name).path("spec");
    }

    private static JsonNode podSpec(List<ObjectNode> objects, String deployment) {
        return spec(objects, "Deployment", deployment).path("template").path("spec");
    }

    private static JsonNode container(List<ObjectNode> objects, String deployment) {
        return podSpec(objects, deployment).path("containers").get(0);
    }

    private static ObjectNode secret() {
        return ManifestCheck.parse("""
                apiVersion: v1
                kind: Secret
                metadata:
                  name: asylum-stats-db-owner
                stringData:
                  password: hunter2
                """).get(0);
    }
}
