package org.asylumstats.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The offline stand-in for an API server and an admission policy: renders an overlay with kustomize,
 * validates every object strictly (built-in kinds by the official client's models, custom resources
 * by their CRD schemas, removed API versions refused) and applies the project's policies: probes,
 * limits and a locked-down security context on every container; every workload behind a
 * NetworkPolicy (with a default deny) and a PodDisruptionBudget; references that resolve; in
 * production no {@code latest} images and no secret values; database connections of every replica at
 * full scale-out within the cluster's {@code max_connections}; the identity provider's admin console
 * and master realm off the public ingress; a realm with a password policy, events and exact redirects.
 */
public final class ManifestCheck {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet");
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|API_KEY).*");
    /** The container port of Quarkus's management interface (health, metrics). */
    static final String MANAGEMENT_PORT = "management";
    /** Connections a pod opens besides its pool (e.g. a LISTEN connection), declared on its Deployment. */
    static final String CONNECTIONS_OUTSIDE_POOL = "asylum-stats/db-connections-outside-pool";
    /** Kept free for superusers (PostgreSQL's default superuser_reserved_connections) and for operators' and admins' sessions. */
    static final int RESERVED_CONNECTIONS = 3 + 10;

    /** One problem of one object. */
    public record Finding(String object, String problem) {
        @Override
        public String toString() {
            return object + ": " + problem;
        }
    }

    private final CrdSchemas crds;

    public ManifestCheck(Path crdDirectory) {
        this.crds = new CrdSchemas(crdDirectory);
    }

    /** Renders the overlay and checks what it renders; a render failure is a finding too. */
    public List<Finding> checkOverlay(Path overlay, boolean production) {
        String rendered;
        try {
            rendered = Kubectl.kustomize(overlay);
        } catch (Kubectl.RenderException e) {
            return List.of(new Finding(overlay.toString(), "kustomize cannot render it: " + e.getMessage()));
        }
        return check(parse(rendered), production);
    }

    public static List<ObjectNode> parse(String yaml) {
        List<ObjectNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (documents.hasNext()) {
                JsonNode document = documents.next();
                if (document instanceof ObjectNode object && !object.isEmpty()) {
                    objects.add(object);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return objects;
    }

    public List<Finding> check(List<ObjectNode> objects, boolean production) {
        List<Finding> findings = new ArrayList<>();
        for (ObjectNode object : objects) {
            validate(object, findings);
        }
        policies(objects, production, findings);
        return findings;
    }

    private void validate(ObjectNode object, List<Finding> findings) {
        String apiVersion = object.path("apiVersion").asText();
        String kind = object.path("kind").asText();
        String name = name(object);
        String removed = ApiSchema.removedIn(apiVersion);
        if (removed != null) {
            findings.add(new Finding(name, "apiVersion " + apiVersion + " was removed in Kubernetes " + removed));
        } else if (ApiSchema.knows(apiVersion, kind)) {
            ApiSchema.validate(apiVersion, kind, object).forEach(p -> findings.add(new Finding(name, p)));
        } else if (crds.knows(apiVersion, kind)) {
            crds.validate(apiVersion, kind, object).forEach(p -> findings.add(new Finding(name, p)));
            ApiSchema.validateMetadata(object.path("metadata")).forEach(p -> findings.add(new Finding(name, "metadata: " + p)));
        } else {
            findings.add(new Finding(name, "no built-in kind or installed CRD serves " + apiVersion + " " + kind));
        }
        if (object.path("metadata").path("name").asText().isEmpty()) {
            findings.add(new Finding(name, "metadata.name is required"));
        }
    }

    private static void policies(List<ObjectNode> objects, boolean production, List<Finding> findings) {
        List<ObjectNode> policies = ofKind(objects, "NetworkPolicy");
        boolean defaultDeny = policies.stream().anyMatch(p -> p.path("spec").path("podSelector").isEmpty()
                && contains(p.path("spec").path("policyTypes"), "Ingress") && contains(p.path("spec").path("policyTypes"), "Egress")
                && p.path("spec").path("ingress").isEmpty() && p.path("spec").path("egress").isEmpty());
        if (!defaultDeny) {
            findings.add(new Finding("NetworkPolicy", "no default-deny policy (empty podSelector, Ingress and Egress, no rules)"));
        }
        Set<String> configMaps = new HashSet<>();
        ofKind(objects, "ConfigMap").forEach(c -> configMaps.add(c.path("metadata").path("name").asText()));
        Set<String> workloads = new HashSet<>();

        for (ObjectNode workload : objects) {
            if (!WORKLOADS.contains(workload.path("kind").asText())) {
                continue;
            }
            String name = name(workload);
            workloads.add(workload.path("metadata").path("name").asText());
            JsonNode podLabels = workload.path("spec").path("template").path("metadata").path("labels");
            // a policy of its own for both directions (a shared one, like the metrics scrape, says nothing of its egress)
            boolean isolated = policies.stream().anyMatch(p -> !p.path("spec").path("podSelector").isEmpty()
                    && contains(p.path("spec").path("policyTypes"), "Ingress") && contains(p.path("spec").path("policyTypes"), "Egress")
                    && Selectors.matches(p.path("spec").path("podSelector"), podLabels));
            if (!isolated) {
                findings.add(new Finding(name, "no NetworkPolicy selects its pods for both ingress and egress"));
            }
            boolean budgeted = ofKind(objects, "PodDisruptionBudget").stream()
                    .anyMatch(b -> Selectors.matches(b.path("spec").path("selector"), podLabels));
            if (!budgeted) {
                findings.add(new Finding(name, "no PodDisruptionBudget selects its pods"));
            }
            JsonNode pod = workload.path("spec").path("template").path("spec");
            for (JsonNode container : pod.path("containers")) {
                containerPolicies(name + " container " + container.path("name").asText(), container, pod, production, configMaps, findings);
            }
        }
        for (ObjectNode hpa : ofKind(objects, "HorizontalPodAutoscaler")) {
            if (!workloads.contains(hpa.path("spec").path("scaleTargetRef").path("name").asText())) {
                findings.add(new Finding(name(hpa), "scales " + hpa.path("spec").path("scaleTargetRef").path("name").asText() + ", which is not rendered"));
            }
            if (hpa.path("spec").path("minReplicas").asInt(1) > hpa.path("spec").path("maxReplicas").asInt()) {
                findings.add(new Finding(name(hpa), "minReplicas is above maxReplicas"));
            }
        }
        for (ObjectNode service : ofKind(objects, "Service")) {
            JsonNode selector = service.path("spec").path("selector");
            boolean backed = objects.stream().filter(o -> WORKLOADS.contains(o.path("kind").asText()))
                    .anyMatch(w -> Selectors.matchesLabels(selector, w.path("spec").path("template").path("metadata").path("labels")));
            if (!selector.isEmpty() && !backed) {
                findings.add(new Finding(name(service), "selects no workload's pods"));
            }
        }
        DatabaseBudget.check(objects, findings);
        PublicDoors.check(objects, findings);
        for (ObjectNode secret : ofKind(objects, "Secret")) {
            if (production) {
                findings.add(new Finding(name(secret), "secret values in the production overlay: create the Secret in the cluster instead"));
            } else if (!"true".equals(secret.path("metadata").path("labels").path("asylum-stats/dev-only").asText())) {
                findings.add(new Finding(name(secret), "a committed Secret must be labelled asylum-stats/dev-only: \"true\""));
            }
        }
    }

    private static void containerPolicies(String name, JsonNode container, JsonNode pod, boolean production,
                                          Set<String> configMaps, List<Finding> findings) {
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            if (container.path(probe).isMissingNode()) {
                findings.add(new Finding(name, "no " + probe));
            } else if (!MANAGEMENT_PORT.equals(container.path(probe).path("httpGet").path("port").asText())) {
                findings.add(new Finding(name, probe + " must use the management port (named " + MANAGEMENT_PORT
                        + "): health is not served on the public port"));
            }
        }
        for (String bound : List.of("requests", "limits")) {
            for (String resource : List.of("cpu", "memory")) {
                if (container.path("resources").path(bound).path(resource).isMissingNode()) {
                    findings.add(new Finding(name, "no resources." + bound + "." + resource));
                }
            }
        }
        JsonNode security = container.path("securityContext");
        JsonNode podSecurity = pod.path("securityContext");
        if (!security.path("allowPrivilegeEscalation").isBoolean() || security.path("allowPrivilegeEscalation").asBoolean()) {
            findings.add(new Finding(name, "securityContext.allowPrivilegeEscalation must be false"));
        }
        if (security.path("privileged").asBoolean(false)) {
            findings.add(new Finding(name, "securityContext.privileged must not be true"));
        }
        if (!security.path("readOnlyRootFilesystem").asBoolean(false)) {
            findings.add(new Finding(name, "securityContext.readOnlyRootFilesystem must be true"));
        }
        if (!contains(security.path("capabilities").path("drop"), "ALL") || !security.path("capabilities").path("add").isEmpty()) {
            findings.add(new Finding(name, "securityContext.capabilities must drop ALL and add none"));
        }
        if (!security.path("runAsNonRoot").asBoolean(podSecurity.path("runAsNonRoot").asBoolean(false))) {
            findings.add(new Finding(name, "runAsNonRoot must be true (container or pod)"));
        }
        String seccomp = security.path("seccompProfile").path("type").asText(podSecurity.path("seccompProfile").path("type").asText());
        if (!seccomp.equals("RuntimeDefault") && !seccomp.equals("Localhost")) {
            findings.add(new Finding(name, "seccompProfile must be RuntimeDefault (container or pod)"));
        }
        String image = container.path("image").asText();
        String tag = image.contains("@") ? "digest" : image.lastIndexOf(':') > image.lastIndexOf('/') ? image.substring(image.lastIndexOf(':') + 1) : "";
        if (production && (tag.isEmpty() || tag.equals("latest"))) {
            findings.add(new Finding(name, "image " + image + " must be pinned to a tag other than latest (or a digest)"));
        }
        for (JsonNode env : container.path("env")) {
            if (env.has("value") && SECRET_NAME.matcher(env.path("name").asText()).matches()) {
                findings.add(new Finding(name, "env " + env.path("name").asText() + " holds a secret in plain text: use secretKeyRef"));
            }
            String referenced = env.path("valueFrom").path("configMapKeyRef").path("name").asText();
            if (!referenced.isEmpty() && !configMaps.contains(referenced)) {
                findings.add(new Finding(name, "env " + env.path("name").asText() + " refers to ConfigMap " + referenced + ", which is not rendered"));
            }
        }
        for (JsonNode source : container.path("envFrom")) {
            String referenced = source.path("configMapRef").path("name").asText();
            if (!referenced.isEmpty() && !configMaps.contains(referenced)) {
                findings.add(new Finding(name, "envFrom refers to ConfigMap " + referenced + ", which is not rendered"));
            }
        }
    }

    static List<ObjectNode> ofKind(List<ObjectNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    static boolean contains(JsonNode array, String value) {
        for (JsonNode element : array) {
            if (value.equals(element.asText())) {
                return true;
            }
        }
        return false;
    }

    static String name(JsonNode object) {
        return object.path("kind").asText("?") + " " + object.path("metadata").path("name").asText("?");
    }
}
