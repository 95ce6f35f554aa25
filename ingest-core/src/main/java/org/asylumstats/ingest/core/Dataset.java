package org.asylumstats.ingest.core;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The five UNHCR datasets: their input fields (UNHCR API names), the labelled headers of the
 * Refugee Data Finder, the rules a row's counts obey, and the table that keeps their figures.
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
            null, List.of()),
    ASYLUM_APPLICATIONS("asylum-applications", "stats.asylum_application",
            List.of(code("procedure_type", "procedure", Codes.PROCEDURES, "Authority", "Procedure type"),
                    code("app_type", "application_type", Codes.APPLICATION_TYPES, "Application type"),
                    code("dec_level", "decision_level", Codes.DECISION_LEVELS, "Decision level", "Stage of procedure")),
            List.of(count("applied", "applied", "Number of applications", "Applied")),
            unit("app_pc", "Application data type", "Cases / Persons"), List.of()),
    ASYLUM_DECISIONS("asylum-decisions", "stats.asylum_decision",
            List.of(code("procedure_type", "procedure", Codes.PROCEDURES, "Authority", "Procedure type"),
                    code("dec_level", "decision_level", Codes.DECISION_LEVELS, "Stage of procedure", "Decision level")),
            List.of(count("dec_recognized", "recognized", "Recognized decisions"),
                    count("dec_other", "complementary_protection", "Complementary protection"),
                    count("dec_rejected", "rejected", "Rejected decisions"),
                    count("dec_closed", "otherwise_closed", "Otherwise closed"),
                    count("dec_total", "total_decisions", "Total decisions")),
            unit("dec_pc", "Decision data type", "Cases / Persons"), List.of()),
    /** Stocks by sex and age (returns during the year for pop types RET and RDP), per place. */
    DEMOGRAPHICS("demographics", "stats.demographics",
            List.of(closedCode("pop_type", "population_type", Codes.POPULATION_TYPES, "Population type"),
                    closedCode("loc_type", "location_type", Codes.LOCATION_TYPES, "Location type", "Urban or rural"),
                    closedCode("acc_type", "accommodation_type", Codes.ACCOMMODATION_TYPES, "Accommodation type")),
            List.of(new TextField("location", "location", 200, List.of("Location", "Location name"))),
            List.of(count("f_0_4", "f_0_4", "Female 0 - 4", "Female 0-4"),
                    count("f_5_11", "f_5_11", "Female 5 - 11", "Female 5-11"),
                    count("f_12_17", "f_12_17", "Female 12 - 17", "Female 12-17"),
                    count("f_18_59", "f_18_59", "Female 18 - 59", "Female 18-59"),
                    count("f_60", "f_60", "Female 60 or more", "Female 60+"),
                    count("f_other", "f_other", "Female other", "Female unknown"),
                    count("f_total", "f_total", "Female total"),
                    count("m_0_4", "m_0_4", "Male 0 - 4", "Male 0-4"),
                    count("m_5_11", "m_5_11", "Male 5 - 11", "Male 5-11"),
                    count("m_12_17", "m_12_17", "Male 12 - 17", "Male 12-17"),
                    count("m_18_59", "m_18_59", "Male 18 - 59", "Male 18-59"),
                    count("m_60", "m_60", "Male 60 or more", "Male 60+"),
                    count("m_other", "m_other", "Male other", "Male unknown"),
                    count("m_total", "m_total", "Male total"),
                    count("total", "total", "Total")),
            null,
            List.of(CountRule.sum("f_total", "f_0_4", "f_5_11", "f_12_17", "f_18_59", "f_60", "f_other"),
                    CountRule.sum("m_total", "m_0_4", "m_5_11", "m_12_17", "m_18_59", "m_60", "m_other"),
                    CountRule.atLeast("total", "f_total", "m_total"))),
    /** Durable solutions during the year; its returns repeat the population file's. */
    SOLUTIONS("solutions", "stats.solutions",
            List.of(),
            List.of(count("returned_refugees", "returned_refugees", "Returned refugees"),
                    count("resettlement", "resettlement", "Resettlement arrivals", "Resettlement"),
                    count("naturalisation", "naturalisation", "Naturalisation", "Naturalization"),
                    count("returned_idps", "returned_idps", "Returned IDPs", "Returned IDPss")),
            null, List.of());

    /** A count column: its API field, its table column, and the labelled headers it may carry. */
    public record CountField(String field, String column, List<String> labels) {
    }

    /**
     * A coded key column (procedure, population type, ...) and its known codes. A {@code closed} list
     * refuses any other code; an open one (UNHCR's procedure lists) loads a well-formed newcomer with a warning.
     */
    public record CodeField(String field, String column, Set<String> knownCodes, boolean closed, List<String> labels) {
    }

    /** A free-text key column (demographics' place name) of at most {@code maxChars} characters. */
    public record TextField(String field, String column, int maxChars, List<String> labels) {
    }

    /**
     * A rule a row's counts obey: {@code total} equals the sum of {@code parts} ({@code exact}, when every
     * part is reported), or is at least the sum of those reported; and it is reported when any part is.
     */
    public record CountRule(String total, List<String> parts, boolean exact) {

        static CountRule sum(String total, String... parts) {
            return new CountRule(total, List.of(parts), true);
        }

        static CountRule atLeast(String total, String... parts) {
            return new CountRule(total, List.of(parts), false);
        }
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

    /** Labelled headers of the fields all five datasets share. */
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
    private final List<TextField> texts;
    private final List<CountField> counts;
    private final UnitField unit;
    private final List<CountRule> rules;

    Dataset(String pathName, String table, List<CodeField> codes, List<CountField> counts, UnitField unit, List<CountRule> rules) {
        this(pathName, table, codes, List.of(), counts, unit, rules);
    }

    Dataset(String pathName, String table, List<CodeField> codes, List<TextField> texts, List<CountField> counts, UnitField unit,
            List<CountRule> rules) {
        this.pathName = pathName;
        this.table = table;
        this.codes = codes;
        this.texts = texts;
        this.counts = counts;
        this.unit = unit;
        this.rules = rules;
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

    public List<TextField> texts() {
        return texts;
    }

    public List<CountField> counts() {
        return counts;
    }

    public List<CountRule> rules() {
        return rules;
    }

    /** The persons/cases field, or empty for population (always persons). */
    public Optional<UnitField> unit() {
        return Optional.ofNullable(unit);
    }

    /** The table's columns in the order the loader writes them. */
    public List<String> columns() {
        var columns = new java.util.ArrayList<>(List.of("release_id", "year", "origin", "asylum"));
        codes.forEach(c -> columns.add(c.column()));
        texts.forEach(t -> columns.add(t.column()));
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
     * The dataset most of whose count columns a header names (API field or Data Finder label, compared
     * trimmed and lower-cased), if any: how a file says what it holds. "Most" because datasets share
     * names (solutions repeat the population file's returns); a tie goes to the earlier dataset.
     */
    static Optional<Dataset> recognise(Set<String> normalisedNames) {
        Dataset best = null;
        long bestNamed = 0;
        for (Dataset d : values()) {
            long named = d.counts.stream().filter(c -> normalisedNames.contains(c.field())
                    || c.labels().stream().anyMatch(l -> normalisedNames.contains(HeaderMapping.normal(l)))).count();
            if (named > bestNamed) {
                best = d;
                bestNamed = named;
            }
        }
        return Optional.ofNullable(best);
    }

    private static CountField count(String field, String column, String... labels) {
        return new CountField(field, column, List.of(labels));
    }

    private static CodeField code(String field, String column, Set<String> known, String... labels) {
        return new CodeField(field, column, known, false, List.of(labels));
    }

    private static CodeField closedCode(String field, String column, Set<String> known, String... labels) {
        return new CodeField(field, column, known, true, List.of(labels));
    }

    private static UnitField unit(String field, String... labels) {
        return new UnitField(field, List.of(labels));
    }
}
