package org.asylumstats.ingest.core;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The three UNHCR datasets: their input fields (UNHCR API names), the labelled headers of the
 * Refugee Data Finder, and the table that keeps their figures.
 */
public enum Dataset {

    POPULATION("population", "stats.population",
            List.of(),
            List.of(count("refugees", "refugees", "Refugees under UNHCR's mandate"),
                    count("asylum_seekers", "asylum_seekers", "Asylum-seekers"),
                    count("returned_refugees", "returned_refugees", "Returned refugees"),
                    count("idps", "idps", "IDPs of concern to UNHCR"),
                    count("returned_idps", "returned_idps", "Returned IDPss", "Returned IDPs"),
                    count("stateless", "stateless", "Stateless persons"),
                    count("ooc", "others_of_concern", "Others of concern"),
                    count("oip", "other_in_need", "Other people in need of international protection"),
                    count("hst", "host_community", "Host Community")),
            null),
    ASYLUM_APPLICATIONS("asylum-applications", "stats.asylum_application",
            List.of(code("procedure_type", "procedure", Codes.PROCEDURES, "Authority", "Procedure type"),
                    code("app_type", "application_type", Codes.APPLICATION_TYPES, "Application type"),
                    code("dec_level", "decision_level", Codes.DECISION_LEVELS, "Decision level", "Stage of procedure")),
            List.of(count("applied", "applied", "Number of applications", "Applied")),
            unit("app_pc", "Application data type", "Cases / Persons")),
    ASYLUM_DECISIONS("asylum-decisions", "stats.asylum_decision",
            List.of(code("procedure_type", "procedure", Codes.PROCEDURES, "Authority", "Procedure type"),
                    code("dec_level", "decision_level", Codes.DECISION_LEVELS, "Stage of procedure", "Decision level")),
            List.of(count("dec_recognized", "recognized", "Recognized decisions"),
                    count("dec_other", "complementary_protection", "Complementary protection"),
                    count("dec_rejected", "rejected", "Rejected decisions"),
                    count("dec_closed", "otherwise_closed", "Otherwise closed"),
                    count("dec_total", "total_decisions", "Total decisions")),
            unit("dec_pc", "Decision data type", "Cases / Persons"));

    /** A count column: its API field, its table column, and the labelled headers it may carry. */
    public record CountField(String field, String column, List<String> labels) {
    }

    /** A coded key column (procedure, application type, decision level) and its known codes. */
    public record CodeField(String field, String column, Set<String> knownCodes, List<String> labels) {
    }

    /** The persons/cases column: P or C. */
    public record UnitField(String field, List<String> labels) {
    }

    public static final String YEAR = "year";
    public static final String ORIGIN_ISO = "coo_iso";
    public static final String ORIGIN_UNHCR = "coo";
    public static final String ORIGIN_NAME = "coo_name";
    public static final String ASYLUM_ISO = "coa_iso";
    public static final String ASYLUM_UNHCR = "coa";
    public static final String ASYLUM_NAME = "coa_name";

    /** Labelled headers of the fields all three datasets share. */
    static final Map<String, String> COMMON_LABELS = Map.of(
            "year", YEAR,
            "country of origin", ORIGIN_NAME,
            "country of origin (iso)", ORIGIN_ISO,
            "country of origin (unhcr)", ORIGIN_UNHCR,
            "country of asylum", ASYLUM_NAME,
            "country of asylum (iso)", ASYLUM_ISO,
            "country of asylum (unhcr)", ASYLUM_UNHCR);

    private final String pathName;
    private final String table;
    private final List<CodeField> codes;
    private final List<CountField> counts;
    private final UnitField unit;

    Dataset(String pathName, String table, List<CodeField> codes, List<CountField> counts, UnitField unit) {
        this.pathName = pathName;
        this.table = table;
        this.codes = codes;
        this.counts = counts;
        this.unit = unit;
    }

    public String pathName() {
        return pathName;
    }

    public String table() {
        return table;
    }

    public List<CodeField> codes() {
        return codes;
    }

    public List<CountField> counts() {
        return counts;
    }

    /** The persons/cases field, or empty for population (always persons). */
    public Optional<UnitField> unit() {
        return Optional.ofNullable(unit);
    }

    /** The table's columns in the order the loader writes them. */
    public List<String> columns() {
        var columns = new java.util.ArrayList<>(List.of("release_id", "year", "origin", "asylum"));
        codes.forEach(c -> columns.add(c.column()));
        if (unit != null) {
            columns.add("unit");
        }
        counts.forEach(c -> columns.add(c.column()));
        return columns;
    }

    public static Optional<Dataset> fromPath(String pathName) {
        return Arrays.stream(values()).filter(d -> d.pathName.equals(pathName)).findFirst();
    }

    /**
     * The dataset whose count columns a header names (API field or Data Finder label, compared
     * trimmed and lower-cased), if any: how a file says what it holds.
     */
    static Optional<Dataset> recognise(Set<String> normalisedNames) {
        return Arrays.stream(values())
                .filter(d -> d.counts.stream().anyMatch(c -> normalisedNames.contains(c.field())
                        || c.labels().stream().anyMatch(l -> normalisedNames.contains(HeaderMapping.normal(l)))))
                .findFirst();
    }

    private static CountField count(String field, String column, String... labels) {
        return new CountField(field, column, List.of(labels));
    }

    private static CodeField code(String field, String column, Set<String> known, String... labels) {
        return new CodeField(field, column, known, List.of(labels));
    }

    private static UnitField unit(String field, String... labels) {
        return new UnitField(field, List.of(labels));
    }
}
