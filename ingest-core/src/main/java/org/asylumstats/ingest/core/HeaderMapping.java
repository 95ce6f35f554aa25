package org.asylumstats.ingest.core;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Maps the column names of a file to canonical fields (UNHCR API names), accepting both the
 * snake_case names and the Refugee Data Finder's labelled headers, and says which dataset they
 * belong to. {@code columns} gives each canonical field's position, so that a row's values are read
 * by index, resolved once per file.
 */
record HeaderMapping(Optional<Dataset> dataset, String[] fields, Map<String, Integer> columns,
                     Set<String> unknown, boolean labelled) {

    static HeaderMapping of(List<String> names) {
        Set<String> normalised = new HashSet<>();
        names.forEach(n -> normalised.add(normal(n)));
        Dataset dataset = Dataset.recognise(normalised).orElse(null);
        Map<String, String> byName = namesOf(dataset == null ? Dataset.POPULATION : dataset);
        String[] fields = new String[names.size()];
        Set<String> unknown = new LinkedHashSet<>();
        Map<String, Integer> columns = new HashMap<>();
        boolean labelled = false;
        for (int i = 0; i < names.size(); i++) {
            String name = normal(names.get(i));
            String field = byName.get(name);
            if (field == null) {
                unknown.add(Excerpt.of(names.get(i)));
            } else {
                columns.putIfAbsent(field, i);
                labelled |= !field.equals(name);
            }
            fields[i] = field;
        }
        return new HeaderMapping(Optional.ofNullable(dataset), fields, Map.copyOf(columns), unknown, labelled);
    }

    /** The canonical field a name stands for when it is one of this header's fields, else null (constant time). */
    String fieldNamed(String name) {
        String n = normal(name);
        return columns.containsKey(n) ? n : null;
    }

    /** The position of a canonical field's (first) column, or -1 when the file lacks it. */
    int column(String field) {
        return columns.getOrDefault(field, -1);
    }

    private static Map<String, String> namesOf(Dataset dataset) {
        Map<String, String> map = new HashMap<>();
        for (String field : List.of(Dataset.YEAR, Dataset.ORIGIN_ISO, Dataset.ORIGIN_UNHCR, Dataset.ORIGIN_NAME,
                Dataset.ASYLUM_ISO, Dataset.ASYLUM_UNHCR, Dataset.ASYLUM_NAME)) {
            map.put(field, field);
        }
        map.putAll(Dataset.COMMON_LABELS);
        dataset.counts().forEach(c -> {
            map.put(c.field(), c.field());
            c.labels().forEach(l -> map.put(normal(l), c.field()));
        });
        dataset.codes().forEach(c -> {
            map.put(c.field(), c.field());
            c.labels().forEach(l -> map.put(normal(l), c.field()));
        });
        dataset.texts().forEach(t -> {
            map.put(t.field(), t.field());
            t.labels().forEach(l -> map.put(normal(l), t.field()));
        });
        dataset.unit().ifPresent(u -> {
            map.put(u.field(), u.field());
            u.labels().forEach(l -> map.put(normal(l), u.field()));
        });
        return map;
    }

    static String normal(String name) {
        return name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    }
}
