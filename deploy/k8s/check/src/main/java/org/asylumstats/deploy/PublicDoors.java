package org.asylumstats.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.asylumstats.deploy.ManifestCheck.name;
import static org.asylumstats.deploy.ManifestCheck.ofKind;

/**
 * What the identity provider shows the internet. Keycloak's ingress routes only a non-master realm's
 * endpoints and the login pages' static resources, so the admin console and the master realm stay
 * inside the cluster. Each imported realm has a password policy, login and admin events, no password
 * grant (a client that takes passwords directly invites credential stuffing) and exact redirect URIs
 * (a wildcard lets any path of the host receive authorization codes).
 */
final class PublicDoors {

    private PublicDoors() {
    }

    static void check(List<ObjectNode> objects, List<ManifestCheck.Finding> findings) {
        Set<String> keycloakServices = new HashSet<>();
        ofKind(objects, "Keycloak").forEach(k -> keycloakServices.add(k.path("metadata").path("name").asText() + "-service"));
        for (ObjectNode ingress : ofKind(objects, "Ingress")) {
            for (JsonNode rule : ingress.path("spec").path("rules")) {
                for (JsonNode path : rule.path("http").path("paths")) {
                    String service = path.path("backend").path("service").path("name").asText();
                    String prefix = path.path("path").asText("/");
                    if (keycloakServices.contains(service) && !publicKeycloakPath(prefix)) {
                        findings.add(new ManifestCheck.Finding(name(ingress), "routes " + prefix + " to " + service
                                + ": only /realms/<realm>/ (not master) and /resources/ may be public"));
                    }
                }
            }
        }
        for (ObjectNode realmImport : ofKind(objects, "KeycloakRealmImport")) {
            realm(name(realmImport), realmImport.path("spec").path("realm"), findings);
        }
    }

    private static boolean publicKeycloakPath(String prefix) {
        if (prefix.startsWith("/resources/")) {
            return true;
        }
        if (!prefix.startsWith("/realms/")) {
            return false;
        }
        String realm = prefix.substring("/realms/".length()).split("/", 2)[0];
        return !realm.isEmpty() && !realm.equals("master") && prefix.length() > "/realms/".length() + realm.length();
    }

    private static void realm(String name, JsonNode realm, List<ManifestCheck.Finding> findings) {
        if (realm.path("passwordPolicy").asText().isBlank()) {
            findings.add(new ManifestCheck.Finding(name, "realm has no passwordPolicy"));
        }
        if (!realm.path("eventsEnabled").asBoolean(false) || !realm.path("adminEventsEnabled").asBoolean(false)) {
            findings.add(new ManifestCheck.Finding(name, "realm must record login and admin events (eventsEnabled, adminEventsEnabled)"));
        }
        boolean adminCliDeclared = false;
        for (JsonNode client : realm.path("clients")) {
            String clientId = client.path("clientId").asText();
            adminCliDeclared |= clientId.equals("admin-cli");
            if (client.path("directAccessGrantsEnabled").asBoolean(false)) {
                findings.add(new ManifestCheck.Finding(name, "client " + clientId + " allows the password grant (directAccessGrantsEnabled)"));
            }
            for (JsonNode uri : client.path("redirectUris")) {
                if (uri.asText().contains("*")) {
                    findings.add(new ManifestCheck.Finding(name, "client " + clientId + " redirect URI " + uri.asText() + " is not exact"));
                }
            }
            for (String uri : client.path("attributes").path("post.logout.redirect.uris").asText().split("##")) {
                if (uri.contains("*")) {
                    findings.add(new ManifestCheck.Finding(name, "client " + clientId + " post-logout redirect URI " + uri + " is not exact"));
                }
            }
        }
        if (!adminCliDeclared) {
            // Keycloak creates admin-cli with the password grant on when the import does not declare it
            findings.add(new ManifestCheck.Finding(name, "realm does not declare admin-cli (Keycloak's default allows the password grant)"));
        }
    }
}
