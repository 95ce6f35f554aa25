package org.asylumstats.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Custom resources checked against the {@code openAPIV3Schema} of their CRDs as an API server does
 * it with structural schemas: unknown fields are pruned there (a typo silently does nothing), so here
 * they are errors, except where the schema says {@code x-kubernetes-preserve-unknown-fields}.
 */
final class CrdSchemas {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final Map<String, JsonSchema> schemas = new HashMap<>();

    CrdSchemas(Path directory) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml$")).sorted().toList()) {
                JsonNode crd = YAML.readTree(file.toFile());
                String group = crd.path("spec").path("group").asText();
                String kind = crd.path("spec").path("names").path("kind").asText();
                for (JsonNode version : crd.path("spec").path("versions")) {
                    ObjectNode schema = version.path("schema").path("openAPIV3Schema").deepCopy();
                    // what every object has, whether or not the CRD lists it; metadata is checked as ObjectMeta
                    ObjectNode root = schema.withObjectProperty("properties");
                    root.putObject("apiVersion").put("type", "string");
                    root.putObject("kind").put("type", "string");
                    root.putObject("metadata").put("type", "object");
                    closeObjects(schema);
                    schemas.put(group + "/" + version.path("name").asText() + "/" + kind, factory.getSchema(schema));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CRDs in " + directory, e);
        }
    }

    boolean knows(String apiVersion, String kind) {
        return schemas.containsKey(apiVersion + "/" + kind);
    }

    List<String> validate(String apiVersion, String kind, JsonNode object) {
        return schemas.get(apiVersion + "/" + kind).validate(object).stream()
                .sorted(Comparator.comparing(ValidationMessage::getMessage))
                .map(m -> m.getMessage().replaceFirst("^\\$\\.", ""))
                .toList();
    }

    /** additionalProperties: false on every object schema that lists its properties and keeps no unknown fields. */
    private static void closeObjects(JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            if (object.has("properties") && !object.has("additionalProperties")
                    && !object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                object.put("additionalProperties", false);
            }
            object.properties().forEach(e -> closeObjects(e.getValue()));
        } else if (schema instanceof ArrayNode array) {
            array.forEach(CrdSchemas::closeObjects);
        }
    }
}
