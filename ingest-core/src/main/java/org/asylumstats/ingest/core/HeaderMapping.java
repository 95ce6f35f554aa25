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
 * belong to. {@code known} lists the positions that map to a field, so that a row costs the
 * known columns, not all columns.
 */
record HeaderMapping(Optional<Dataset> dataset, String[] fields, int[] known, Set<String> canonical,
                     Set<String> unknown, boolean labelled) {

    static HeaderMapping of(List<String> names) {
        Set<String> normalised = new HashSet<>();
        names.forEach(n -> normalised.add(normal(n)));
        Dataset dataset = Dataset.recognise(normalised).orElse(null);
        Map<String, String> byName = namesOf(dataset == null ? Dataset.POPULATION : dataset);
        String[] fields = new String[names.size()];
        Set<String> unknown = new LinkedHashSet<>();
        Set<String> canonical = new HashSet<>();
        boolean labelled = false;
        int knownCount = 0;
        for (int i = 0; i < names.size(); i++) {
            String name = normal(names.get(i));
            String field = byName.get(name);
            if (field == null) {
                unknown.add(Excerpt.of(names.get(i)));
            } else {
                knownCount++;
                canonical.add(field);
                labelled |= !field.equals(name);
            }
            fields[i] = field;
        }
        int[] known = new int[knownCount];
        for (int i = 0, k = 0; i < fields.length; i++) {
            if (fields[i] != null) {
                known[k++] = i;
            }
        }
        return new HeaderMapping(Optional.ofNullable(dataset), fields, known, Set.copyOf(canonical), unknown, labelled);
    }

    /** The canonical field a name stands for when it is one of this header's fields, else null (constant time). */
    String fieldNamed(String name) {
        String n = normal(name);
        return canonical.contains(n) ? n : null;
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
