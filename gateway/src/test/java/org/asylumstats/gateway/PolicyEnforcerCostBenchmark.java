package org.asylumstats.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.asylumstats.testing.Keycloak;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.Tokens;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What Keycloak's policy enforcer (quarkus-keycloak-authorization) would add to each /api request,
 * next to the HTTP permissions the gateway uses: for a bearer token without permissions in it, the
 * enforcer asks Keycloak for a decision (UMA grant, response_mode=decision) on every request. This
 * sets up exactly that decision in the real Keycloak (a resource /api/*, a role policy, a permission)
 * and times it against a whole request through the gateway. Prints figures; asserts no times.
 */
@QuarkusTest
@QuarkusTestResource(KeycloakResource.class)
@QuarkusTestResource(StubBackends.class)
@Tag("benchmark")
class PolicyEnforcerCostBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int REQUESTS = 500;

    @Test
    void decisionByKeycloakPerRequestAgainstHttpPermissions() throws Exception {
        Keycloak keycloak = Keycloak.shared();
        String admin = adminToken(keycloak);
        String realm = keycloak.baseUrl() + "/admin/realms/asylum-stats";
        send(post(realm + "/clients", admin, Map.of("clientId", "enforcer-probe", "publicClient", false, "secret", "probe-secret",
                "serviceAccountsEnabled", true, "authorizationServicesEnabled", true, "standardFlowEnabled", false)), 201);
        String client = JSON.readTree(send(get(realm + "/clients?clientId=enforcer-probe", admin), 200)).get(0).get("id").asText();
        String server = realm + "/clients/" + client + "/authz/resource-server";
        send(post(server + "/resource", admin, Map.of("name", "api", "uris", List.of("/api/*"))), 201);
        List<Map<String, Object>> roles = List.of("analyst", "reviewer", "admin").stream().map(r -> {
            try {
                return Map.<String, Object>of("id", JSON.readTree(send(get(realm + "/roles/" + r, admin), 200)).get("id").asText());
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        send(post(server + "/policy/role", admin, Map.of("name", "staff", "roles", roles)), 201);
        send(post(server + "/permission/resource", admin, Map.of("name", "api-for-staff", "resources", List.of("api"), "policies", List.of("staff"))), 201);

        String analyst = Tokens.of(keycloak.tokenEndpoint(), "analyst");
        String form = "grant_type=" + enc("urn:ietf:params:oauth:grant-type:uma-ticket") + "&audience=enforcer-probe&permission=api&response_mode=decision";
        HttpRequest decision = HttpRequest.newBuilder(URI.create(keycloak.tokenEndpoint()))
                .header("Authorization", "Bearer " + analyst).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        JsonNode answer = JSON.readTree(send(decision, 200));
        if (!answer.path("result").asBoolean()) {
            throw new IllegalStateException("the decision should allow the analyst: " + answer);
        }
        long[] keycloakDecision = time(() -> send(decision, 200));

        HttpRequest throughGateway = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/api/releases"))
                .header("Authorization", "Bearer " + analyst).GET().build();
        long[] gatewayRequest = time(() -> send(throughGateway, 200));

        String table = String.format("""
                %d sequential calls each, one run, same machine           p50 ms    p99 ms
                Keycloak policy decision (UMA grant) per /api request    %7.2f   %7.2f
                whole /api request through the gateway (HTTP perms)      %7.2f   %7.2f
                The enforcer's decision would come on top of the gateway's request, and make every
                /api request depend on Keycloak being up (bearer tokens carry no permissions).
                """, REQUESTS, ms(keycloakDecision, 50), ms(keycloakDecision, 99), ms(gatewayRequest, 50), ms(gatewayRequest, 99));
        System.out.println(table);
        Files.writeString(Path.of("target", "policy-enforcer-benchmark.txt"), table);
    }

    private interface Call {
        void run() throws Exception;
    }

    private static long[] time(Call call) throws Exception {
        for (int i = 0; i < 50; i++) {
            call.run(); // warm-up
        }
        long[] nanos = new long[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            long t0 = System.nanoTime();
            call.run();
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static double ms(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
    }

    private static String adminToken(Keycloak keycloak) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(keycloak.baseUrl() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=admin-cli&username=keycloak-admin&password=keycloak-admin")).build();
        return JSON.readTree(send(request, 200)).get("access_token").asText();
    }

    private static HttpRequest get(String url, String token) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).GET().build();
    }

    private static HttpRequest post(String url, String token, Object body) throws IOException {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
    }

    private static String send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
