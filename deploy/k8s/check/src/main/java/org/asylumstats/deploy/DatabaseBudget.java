package org.asylumstats.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.asylumstats.deploy.ManifestCheck.name;
import static org.asylumstats.deploy.ManifestCheck.ofKind;

/**
 * Every workload's database connections at full scale-out fit into the PostgreSQL cluster they use:
 * (pool size + connections outside the pool) x the most replicas it can have (its autoscaler's
 * maxReplicas, else its replicas), summed per CloudNativePG Cluster, within that cluster's
 * {@code max_connections} less {@link ManifestCheck#RESERVED_CONNECTIONS}. Counted as if every
 * connection landed on one instance, as after a failover. A workload with a datasource must say its
 * pool size, since the service's built-in default is invisible here.
 */
final class DatabaseBudget {

    private static final String URL = "QUARKUS_DATASOURCE_JDBC_URL";
    private static final String POOL = "QUARKUS_DATASOURCE_JDBC_MAX_SIZE";
    private static final int POSTGRES_DEFAULT_MAX_CONNECTIONS = 100;

    private DatabaseBudget() {
    }

    static void check(List<ObjectNode> objects, List<ManifestCheck.Finding> findings) {
        Map<String, Integer> used = new HashMap<>();
        Map<String, String> usedBy = new HashMap<>();
        for (ObjectNode workload : objects) {
            if (!"Deployment".equals(workload.path("kind").asText())) {
                continue;
            }
            for (JsonNode container : workload.path("spec").path("template").path("spec").path("containers")) {
                Map<String, String> env = environment(container, objects);
                String url = env.get(URL);
                if (url == null) {
                    continue;
                }
                String cluster = clusterOf(url, objects);
                if (cluster == null) {
                    findings.add(new ManifestCheck.Finding(name(workload), URL + " " + url + " names no rendered CloudNativePG Cluster service"));
                    continue;
                }
                int pool;
                try {
                    pool = Integer.parseInt(env.getOrDefault(POOL, ""));
                } catch (NumberFormatException e) {
                    findings.add(new ManifestCheck.Finding(name(workload), "uses a database but does not set " + POOL
                            + " (an integer) in its env or ConfigMaps: its connections cannot be counted"));
                    continue;
                }
                int outside = workload.path("metadata").path("annotations").path(ManifestCheck.CONNECTIONS_OUTSIDE_POOL).asInt(0);
                int replicas = maxReplicas(workload, objects);
                int connections = (pool + outside) * replicas;
                used.merge(cluster, connections, Integer::sum);
                usedBy.merge(cluster, workload.path("metadata").path("name").asText() + " " + replicas + "x(" + pool + "+" + outside + ")",
                        (a, b) -> a + ", " + b);
            }
        }
        for (ObjectNode cluster : ofKind(objects, "Cluster")) {
            String clusterName = cluster.path("metadata").path("name").asText();
            if (!used.containsKey(clusterName)) {
                continue;
            }
            int max = cluster.path("spec").path("postgresql").path("parameters").path("max_connections").asInt(POSTGRES_DEFAULT_MAX_CONNECTIONS);
            int budget = max - ManifestCheck.RESERVED_CONNECTIONS;
            if (used.get(clusterName) > budget) {
                findings.add(new ManifestCheck.Finding(name(cluster), "at full scale-out the services open " + used.get(clusterName)
                        + " connections (" + usedBy.get(clusterName) + ") but max_connections " + max + " leaves " + budget));
            }
        }
    }

    /** The container's env: literal values and the keys of ConfigMaps it takes whole ({@code envFrom}). */
    private static Map<String, String> environment(JsonNode container, List<ObjectNode> objects) {
        Map<String, String> env = new HashMap<>();
        for (JsonNode source : container.path("envFrom")) {
            String configMap = source.path("configMapRef").path("name").asText();
            ofKind(objects, "ConfigMap").stream()
                    .filter(c -> c.path("metadata").path("name").asText().equals(configMap))
                    .forEach(c -> c.path("data").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText())));
        }
        for (JsonNode variable : container.path("env")) {
            if (variable.has("value")) {
                env.put(variable.path("name").asText(), variable.path("value").asText());
            }
        }
        return env;
    }

    /** The CloudNativePG Cluster whose -rw, -ro or -r Service the JDBC URL names. */
    private static String clusterOf(String jdbcUrl, List<ObjectNode> objects) {
        for (ObjectNode cluster : ofKind(objects, "Cluster")) {
            String name = cluster.path("metadata").path("name").asText();
            for (String service : List.of("-rw", "-ro", "-r")) {
                if (jdbcUrl.contains("//" + name + service + ":") || jdbcUrl.contains("//" + name + service + "/")
                        || jdbcUrl.contains("//" + name + service + ".")) {
                    return name;
                }
            }
        }
        return null;
    }

    private static int maxReplicas(ObjectNode deployment, List<ObjectNode> objects) {
        String name = deployment.path("metadata").path("name").asText();
        return ofKind(objects, "HorizontalPodAutoscaler").stream()
                .filter(h -> h.path("spec").path("scaleTargetRef").path("name").asText().equals(name))
                .map(h -> h.path("spec").path("maxReplicas").asInt())
                .findFirst()
                .orElse(deployment.path("spec").path("replicas").asInt(1));
    }
}
