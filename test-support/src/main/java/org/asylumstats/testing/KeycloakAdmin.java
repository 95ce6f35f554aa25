package org.asylumstats.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * Keycloak's admin REST API for tests that need tokens the realm file does not issue: from
 * another realm, for another audience, or expiring within seconds.
 */
public final class KeycloakAdmin {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;

    public KeycloakAdmin(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** Creates a realm with a public client (password grant) and a user (password = user name). */
    public void createRealmWithUser(String realm, String client, String user) {
        post("/admin/realms", Map.of("realm", realm, "enabled", true, "sslRequired", "none"));
        createClient(realm, client, null, false);
        createUser(realm, user);
    }

    /** A public password-grant client; with {@code audience} its tokens carry it; lifespan in seconds if set. */
    public void createClient(String realm, String clientId, Integer tokenLifespanSeconds, boolean apiAudience) {
        Map<String, Object> client = new java.util.HashMap<>(Map.of("clientId", clientId, "enabled", true, "publicClient", true,
                "directAccessGrantsEnabled", true, "standardFlowEnabled", false));
        if (tokenLifespanSeconds != null) {
            client.put("attributes", Map.of("access.token.lifespan", tokenLifespanSeconds.toString()));
        }
        if (apiAudience) {
            client.put("protocolMappers", List.of(Map.of("name", "audience", "protocol", "openid-connect",
                    "protocolMapper", "oidc-audience-mapper",
                    "config", Map.of("included.custom.audience", "asylum-stats-api", "access.token.claim", "true"))));
        }
        post("/admin/realms/" + realm + "/clients", client);
    }

    /**
     * Lets a confidential client redirect back to {@code publicUrl} (a test's gateway on a free port) after login
     * and logout; the realm file only knows the configured public URL.
     */
    public void allowRedirect(String realm, String clientId, String publicUrl) {
        try {
            String clients = "/admin/realms/" + realm + "/clients";
            ObjectNode client = (ObjectNode) get(clients + "?clientId=" + enc(clientId)).get(0);
            // the same exact URIs as the realm file's: the login edge, and the dashboard after logout
            client.withArrayProperty("redirectUris").add(publicUrl + "/auth/login");
            client.withObjectProperty("attributes").put("post.logout.redirect.uris",
                    client.path("attributes").path("post.logout.redirect.uris").asText() + "##" + publicUrl + "/");
            HttpRequest update = HttpRequest.newBuilder(URI.create(baseUrl + clients + "/" + client.get("id").asText()))
                    .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(client))).build();
            send(update, 204);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A confidential client with Keycloak's authorization services, guarding {@code resource} (at
     * {@code uri}) by a policy that lets any of {@code roles} in: the decision Keycloak's policy enforcer asks for.
     */
    public void createProtectedResource(String realm, String clientId, String secret, String resource, String uri, List<String> roles) {
        String admin = "/admin/realms/" + realm;
        post(admin + "/clients", Map.of("clientId", clientId, "publicClient", false, "secret", secret,
                "serviceAccountsEnabled", true, "authorizationServicesEnabled", true, "standardFlowEnabled", false));
        String server = admin + "/clients/" + get(admin + "/clients?clientId=" + enc(clientId)).get(0).get("id").asText()
                + "/authz/resource-server";
        post(server + "/resource", Map.of("name", resource, "uris", List.of(uri)));
        List<Map<String, String>> roleIds = roles.stream().map(r -> Map.of("id", get(admin + "/roles/" + enc(r)).get("id").asText())).toList();
        post(server + "/policy/role", Map.of("name", resource + "-roles", "roles", roleIds));
        post(server + "/permission/resource", Map.of("name", resource + "-permission", "resources", List.of(resource),
                "policies", List.of(resource + "-roles")));
    }

    public void createUser(String realm, String user) {
        post("/admin/realms/" + realm + "/users", Map.of("username", user, "enabled", true, "emailVerified", true,
                "firstName", user, "lastName", "Test", "email", user + "@example.org",
                "credentials", List.of(Map.of("type", "password", "value", user, "temporary", false))));
    }

    /** A token from {@code realm} through {@code client} for {@code user} (password = user name). */
    public String token(String realm, String client, String user) {
        String form = "grant_type=password&client_id=" + enc(client) + "&username=" + enc(user) + "&password=" + enc(user);
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/realms/" + realm + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        String body = send(request, 200);
        try {
            return JSON.readTree(body).get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void post(String path, Object body) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .header("Authorization", "Bearer " + adminToken()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
            send(request, 201);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode get(String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + adminToken()).GET().build();
        try {
            return JSON.readTree(send(request, 200));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String adminToken() {
        String form = "grant_type=password&client_id=admin-cli&username=keycloak-admin&password=keycloak-admin";
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build();
        try {
            return JSON.readTree(send(request, 200)).get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String send(HttpRequest request, int expected) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected && !(expected == 201 && response.statusCode() == 409)) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
