package org.asylumstats.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import org.asylumstats.testing.Keycloak;
import org.asylumstats.testing.KeycloakAdmin;
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
@TestProfile(PolicyEnforcerCostBenchmark.UnlimitedCaller.class)
class PolicyEnforcerCostBenchmark {

    /** The benchmark's caller sends faster than a user's budget allows, as the SPEC lets benchmarks do. */
    public static class UnlimitedCaller implements QuarkusTestProfile {
        @Override
        public java.util.Map<String, String> getConfigOverrides() {
            return java.util.Map.of("asylumstats.gateway.rate-limit.authenticated-per-minute", "100000000");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final int REQUESTS = 500;

    @Test
    void decisionByKeycloakPerRequestAgainstHttpPermissions() throws Exception {
        Keycloak keycloak = Keycloak.shared();
        new KeycloakAdmin(keycloak.baseUrl()).createProtectedResource("asylum-stats", "enforcer-probe", "probe-secret",
                "api", "/api/*", List.of("analyst", "reviewer", "admin"));

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
