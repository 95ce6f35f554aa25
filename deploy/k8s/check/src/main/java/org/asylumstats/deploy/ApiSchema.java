package org.asylumstats.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.annotations.SerializedName;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;

import java.lang.reflect.Field;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The built-in kinds as the API server knows them: the official Java client's models reject unknown
 * fields, missing required fields and bad quantities; the type walk adds what Gson would silently
 * coerce (a quoted "3" where an integer belongs, a number where a string belongs).
 */
final class ApiSchema {

    private static final Map<String, Class<?>> KINDS = Map.of(
            "v1/ServiceAccount", V1ServiceAccount.class,
            "v1/Service", V1Service.class,
            "v1/ConfigMap", V1ConfigMap.class,
            "v1/Secret", V1Secret.class,
            "apps/v1/Deployment", V1Deployment.class,
            "apps/v1/StatefulSet", V1StatefulSet.class,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class,
            "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class,
            "networking.k8s.io/v1/Ingress", V1Ingress.class);

    /** API versions that current clusters no longer serve, with the release that removed them. */
    private static final Map<String, String> REMOVED = Map.of(
            "extensions/v1beta1", "1.22",
            "apps/v1beta1", "1.16",
            "apps/v1beta2", "1.16",
            "policy/v1beta1", "1.25",
            "autoscaling/v2beta1", "1.25",
            "autoscaling/v2beta2", "1.26",
            "networking.k8s.io/v1beta1", "1.22",
            "batch/v1beta1", "1.25");

    private ApiSchema() {
    }

    static boolean knows(String apiVersion, String kind) {
        return KINDS.containsKey(apiVersion + "/" + kind);
    }

    static String removedIn(String apiVersion) {
        return REMOVED.get(apiVersion);
    }

    /** Problems of a built-in object, empty when the API server would accept it. */
    static List<String> validate(String apiVersion, String kind, JsonNode object) {
        return validate(KINDS.get(apiVersion + "/" + kind), object);
    }

    /** Problems of an object's metadata (also for custom resources). */
    static List<String> validateMetadata(JsonNode metadata) {
        return validate(V1ObjectMeta.class, metadata);
    }

    private static List<String> validate(Class<?> model, JsonNode object) {
        List<String> problems = new ArrayList<>();
        try {
            JSON.getGson().fromJson(object.toString(), model);
        } catch (RuntimeException e) {
            problems.add(e.getMessage());
        }
        walk(model, object, "", problems);
        return problems;
    }

    private static void walk(Type type, JsonNode node, String path, List<String> problems) {
        if (node == null || node.isNull()) {
            return;
        }
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        String where = path.isEmpty() ? "the object" : path;
        if (raw == String.class || raw == OffsetDateTime.class) {
            expect(node.isTextual(), where, "a string", node, problems);
        } else if (raw == Integer.class || raw == Long.class) {
            expect(node.isIntegralNumber(), where, "an integer", node, problems);
        } else if (raw == Boolean.class) {
            expect(node.isBoolean(), where, "true or false", node, problems);
        } else if (raw == Double.class || raw == Float.class || raw == BigDecimal.class) {
            expect(node.isNumber(), where, "a number", node, problems);
        } else if (raw == Quantity.class) {
            expect(node.isNumber() || node.isTextual() && isQuantity(node.asText()), where, "a quantity (e.g. 250m, 1Gi)", node, problems);
        } else if (raw == IntOrString.class) {
            expect(node.isTextual() || node.isIntegralNumber(), where, "an integer or a string", node, problems);
        } else if (List.class.isAssignableFrom(raw)) {
            if (expect(node.isArray(), where, "a list", node, problems)) {
                Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
                for (int i = 0; i < node.size(); i++) {
                    walk(element, node.get(i), path + "[" + i + "]", problems);
                }
            }
        } else if (Map.class.isAssignableFrom(raw)) {
            if (expect(node.isObject(), where, "a map", node, problems)) {
                Type value = ((ParameterizedType) type).getActualTypeArguments()[1];
                node.properties().forEach(e -> walk(value, e.getValue(), path + "." + e.getKey(), problems));
            }
        } else if (raw.getPackageName().startsWith("io.kubernetes.client.openapi.models")) {
            if (expect(node.isObject(), where, "an object", node, problems)) {
                for (Field field : raw.getDeclaredFields()) {
                    SerializedName name = field.getAnnotation(SerializedName.class);
                    if (name != null && node.has(name.value())) {
                        walk(field.getGenericType(), node.get(name.value()), path.isEmpty() ? name.value() : path + "." + name.value(), problems);
                    }
                }
            }
        }
    }

    private static boolean isQuantity(String text) {
        try {
            Quantity.fromString(text);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean expect(boolean ok, String where, String what, JsonNode node, List<String> problems) {
        if (!ok) {
            problems.add(where + " must be " + what + ", not " + node.getNodeType().name().toLowerCase() + " " + node);
        }
        return ok;
    }
}
