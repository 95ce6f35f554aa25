package org.asylumstats.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.asylumstats.testing.Keycloak;
import org.asylumstats.testing.KeycloakAdmin;
import org.asylumstats.testing.KeycloakResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's browser login, walked as a browser does against the real Keycloak: the
 * authorization-code flow with PKCE, the session cookie, the session's token relayed to the back-end
 * (cookies never are), the CSRF guard on writes, and API clients never redirected to a login page.
 */
@QuarkusTest
@QuarkusTestResource(KeycloakResource.class)
@QuarkusTestResource(StubBackends.class)
class DashboardSessionTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LOGIN_FORM = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");

    /** Cookies by name, as a browser keeps them for localhost (Secure ones included: localhost counts as secure). */
    private final Map<String, String> cookies = new LinkedHashMap<>();
    private final HttpClient browser = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private String gateway;

    @BeforeEach
    void registerThisGatewayWithKeycloak() {
        gateway = "http://localhost:" + RestAssured.port;
        new KeycloakAdmin(Keycloak.shared().baseUrl())
                .allowRedirect("asylum-stats", "asylum-stats-gateway", gateway);
    }

    @Test
    void loginWithPkceGivesASessionWhoseTokenReachesTheBackEnd() throws Exception {
        HttpResponse<String> challenge = get(gateway + "/auth/login");
        assertEquals(302, challenge.statusCode());
        String authorize = location(challenge);
        assertTrue(authorize.contains("code_challenge_method=S256"), authorize);
        assertTrue(authorize.contains("code_challenge="), authorize);

        HttpResponse<String> afterLogin = logIn(authorize, "analyst");
        assertEquals("/", URI.create(location(afterLogin)).getPath());

        JsonNode me = JSON.readTree(get(gateway + "/auth/me").body());
        assertTrue(me.get("authenticated").asBoolean());
        assertEquals("analyst", me.get("name").asText());
        assertEquals("[\"analyst\"]", me.get("roles").toString());

        HttpResponse<String> releases = send(HttpRequest.newBuilder(URI.create(gateway + "/api/releases")).GET());
        assertEquals(200, releases.statusCode(), releases.body());
        assertTrue(StubBackends.LAST_HEADERS.get("authorization").startsWith("Bearer ey"), "the session's access token is relayed");
        assertNull(StubBackends.LAST_HEADERS.get("cookie"), "the session cookie stays at the gateway");

        HttpRequest.Builder create = HttpRequest.newBuilder(URI.create(gateway + "/api/releases"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
        HttpResponse<String> forged = send(create);
        assertEquals(403, forged.statusCode(), "a cookie-authenticated write without X-Requested-With looks like CSRF");
        assertTrue(forged.body().contains("csrf-header-missing"), forged.body());
        assertEquals(200, send(create.header("X-Requested-With", "JavaScript")).statusCode());

        HttpResponse<String> logout = get(gateway + "/auth/logout");
        assertEquals(302, logout.statusCode());
        assertTrue(location(logout).contains("/protocol/openid-connect/logout"), location(logout));
        assertFalse(JSON.readTree(get(gateway + "/auth/me").body()).get("authenticated").asBoolean());
    }

    @Test
    void aViewerSessionIsRefusedTheApiLikeAViewerToken() throws Exception {
        logIn(location(get(gateway + "/auth/login")), "viewer");
        HttpResponse<String> releases = send(HttpRequest.newBuilder(URI.create(gateway + "/api/releases"))
                .header("X-Requested-With", "JavaScript").GET());
        assertEquals(403, releases.statusCode());
    }

    @Test
    void apiClientsAreNeverSentToALoginPage() {
        given().redirects().follow(false).get("/api/releases").then().statusCode(401);
        given().redirects().follow(false).header("Cookie", "q_session_dashboard=forged")
                .header("X-Requested-With", "JavaScript").get("/api/releases").then().statusCode(499);
        given().get("/auth/me").then().statusCode(200).body("authenticated", equalTo(false));
    }

    @Test
    void theDashboardIsServedWithItsChartsAndAStrictContentSecurityPolicy() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .body(containsString("/dashboard/app.js"));
        given().get("/_static/echarts/dist/echarts.min.js").then().statusCode(200);
        given().get("/dashboard/graphql/explore.graphql").then().statusCode(200).body(containsString("query Explore"));
    }

    /** Posts the user's credentials to Keycloak's login form and follows the redirects back to the gateway. */
    private HttpResponse<String> logIn(String authorize, String user) throws IOException, InterruptedException {
        HttpResponse<String> page = get(authorize);
        assertEquals(200, page.statusCode(), page.body());
        Matcher form = LOGIN_FORM.matcher(page.body());
        assertTrue(form.find(), "Keycloak's login form");
        String action = form.group(1).replace("&amp;", "&");
        String credentials = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password=" + URLEncoder.encode(user, StandardCharsets.UTF_8);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(action))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(credentials)));
        // Keycloak → gateway callback (code exchange, session cookie) → the login path again → the dashboard
        while (response.statusCode() == 302 && location(response).startsWith(gateway + "/auth/")) {
            response = get(location(response));
        }
        assertEquals(302, response.statusCode(), response.body());
        return response;
    }

    private HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(URI.create(url)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        if (!cookies.isEmpty()) {
            request.setHeader("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue()).collect(Collectors.joining("; ")));
        }
        HttpResponse<String> response = browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
        for (String header : response.headers().allValues("Set-Cookie")) {
            HttpCookie.parse(header).forEach(c -> {
                if (c.getMaxAge() == 0 || c.getValue().isEmpty()) {
                    cookies.remove(c.getName());
                } else {
                    cookies.put(c.getName(), c.getValue());
                }
            });
        }
        return response;
    }

    private String location(HttpResponse<String> response) {
        String location = response.headers().firstValue("Location").orElseThrow(() -> new AssertionError("no Location: " + response.statusCode()));
        return location.startsWith("/") ? gateway + location : location;
    }
}
