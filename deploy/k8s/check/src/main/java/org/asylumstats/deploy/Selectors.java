package org.asylumstats.deploy;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** Kubernetes label selectors, evaluated against a pod template's labels. */
final class Selectors {

    private Selectors() {
    }

    /** A LabelSelector (matchLabels and matchExpressions); an empty one selects everything. */
    static boolean matches(JsonNode selector, JsonNode labels) {
        if (!matchesLabels(selector.path("matchLabels"), labels)) {
            return false;
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean has = labels.has(key);
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> has && values.contains(labels.path(key).asText());
                case "NotIn" -> !has || !values.contains(labels.path(key).asText());
                case "Exists" -> has;
                case "DoesNotExist" -> !has;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A plain label map (a Service's selector, matchLabels). */
    static boolean matchesLabels(JsonNode required, JsonNode labels) {
        for (var entry : required.properties()) {
            if (!entry.getValue().asText().equals(labels.path(entry.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }
}
