package org.asylumstats.stats.export;

import org.asylumstats.stats.figures.Dimension;
import org.asylumstats.stats.figures.FigureFilter;
import org.asylumstats.stats.figures.Measure;
import org.asylumstats.stats.figures.QueryException;
import org.asylumstats.stats.figures.Sex;
import org.asylumstats.stats.figures.Unit;
import org.asylumstats.stats.figures.YearRange;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The parameters of {@code GET /export/figures}, checked before anything is looked up: only known
 * names, single-valued ones at most once, every value and list bounded (the limits of the GraphQL
 * filter lists), and a canonical form of the question for its entity tag.
 *
 * @param canonical the question with its lists sorted and deduplicated: equal for requests that get the same answer
 */
record FiguresExportRequest(Measure measure, List<Dimension> groupBy, FigureFilter filter, Long asOf, ExportFormat format,
                            String canonical) {

    private static final List<String> SINGLE = List.of("measure", "groupBy", "from", "to", "unit", "asOf", "format");
    private static final List<String> LISTS = List.of("origin", "asylum", "originRegion", "asylumRegion", "procedure",
            "applicationType", "decisionLevel", "sex", "ageGroup", "populationType");

    /**
     * @param query          the query parameters as sent (name to every value given for it)
     * @param maxValues      values one list may hold, over all its repetitions
     * @param maxValueLength characters one value may have
     */
    static FiguresExportRequest parse(Map<String, List<String>> query, int maxValues, int maxValueLength) {
        for (Map.Entry<String, List<String>> parameter : query.entrySet()) {
            String name = parameter.getKey();
            if (!SINGLE.contains(name) && !LISTS.contains(name)) {
                throw ExportProblem.invalidParameter("unknown parameter '" + QueryException.prefix(name) + "'; parameters are "
                        + String.join(", ", SINGLE) + ", " + String.join(", ", LISTS));
            }
            if (SINGLE.contains(name) && parameter.getValue().size() > 1) {
                throw ExportProblem.invalidParameter(name + ": given " + parameter.getValue().size() + " times, at most once");
            }
        }
        Parameters p = new Parameters(query, maxValues, maxValueLength);
        String measureName = p.single("measure");
        if (measureName == null) {
            throw ExportProblem.invalidParameter("measure: required, one of " + Arrays.toString(Measure.values()));
        }
        Measure measure = p.named("measure", measureName, Measure.values());
        List<Dimension> groupBy = new ArrayList<>(new LinkedHashSet<>(p.split("groupBy", p.single("groupBy"), true).stream()
                .map(name -> p.named("groupBy", name, Dimension.values())).toList()));
        YearRange years = years(p.single("from"), p.single("to"));
        List<Sex> sex = p.list("sex") == null ? null : p.list("sex").stream().map(v -> p.named("sex", v, Sex.values())).toList();
        String unitName = p.single("unit");
        Unit unit = unitName == null ? Unit.PERSONS : p.named("unit", unitName, Unit.values());
        Long asOf = asOf(p.single("asOf"));
        ExportFormat format = ExportFormat.of(p.single("format"));
        FigureFilter filter = new FigureFilter(p.list("origin"), p.list("asylum"), p.list("originRegion"), p.list("asylumRegion"), years,
                p.list("procedure"), p.list("applicationType"), p.list("decisionLevel"), unit, sex, p.list("ageGroup"),
                p.list("populationType"));

        StringBuilder canonical = new StringBuilder("export/figures?measure=").append(measure)
                .append("&groupBy=").append(String.join(",", groupBy.stream().map(Enum::name).toList()));
        if (years != null) {
            canonical.append("&from=").append(years.from()).append("&to=").append(years.to());
        }
        for (String list : LISTS) {
            List<String> values = list.equals("sex") ? (sex == null ? null : sex.stream().map(Enum::name).toList()) : p.list(list);
            if (values != null) {
                canonical.append('&').append(list).append('=').append(String.join(",", new TreeSet<>(values)));
            }
        }
        canonical.append("&unit=").append(unit).append("&asOf=").append(asOf == null ? "" : asOf).append("&format=").append(format.parameter());
        return new FiguresExportRequest(measure, List.copyOf(groupBy), filter, asOf, format, canonical.toString());
    }

    private static YearRange years(String from, String to) {
        if ((from == null) != (to == null)) {
            throw ExportProblem.invalidParameter((from == null ? "from" : "to") + ": required with " + (from == null ? "to" : "from")
                    + " (give both years or neither)");
        }
        if (from == null) {
            return null;
        }
        int first = year("from", from);
        int last = year("to", to);
        if (first > last) {
            throw ExportProblem.invalidParameter("from: " + first + " is after to " + last);
        }
        return new YearRange(first, last);
    }

    private static int year(String name, String value) {
        int year;
        try {
            year = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ExportProblem.invalidParameter(name + ": '" + QueryException.prefix(value) + "' is not a year");
        }
        if (year < YearRange.firstYear() || year > YearRange.lastYear()) {
            throw ExportProblem.invalidParameter(name + ": year " + year + " is outside " + YearRange.firstYear() + ".." + YearRange.lastYear());
        }
        return year;
    }

    private static Long asOf(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw ExportProblem.invalidParameter("asOf: '" + QueryException.prefix(value) + "' is not a release id");
        }
    }

    /** The query's values, each checked against the bounds as it is read. */
    private record Parameters(Map<String, List<String>> query, int maxValues, int maxValueLength) {

        /** A single-valued parameter's value; null when absent. */
        String single(String name) {
            List<String> values = query.get(name);
            if (values == null || values.isEmpty()) {
                return null;
            }
            // groupBy is a list of at most every dimension, each name shorter than a value may be
            return bounded(name, values.get(0), name.equals("groupBy") ? Dimension.values().length * (maxValueLength + 1) : maxValueLength);
        }

        /** A list parameter's values (comma-separated, and/or repeated), stripped; null when absent. */
        List<String> list(String name) {
            List<String> given = query.get(name);
            if (given == null || given.isEmpty()) {
                return null;
            }
            List<String> values = new ArrayList<>();
            for (String value : given) {
                // a list longer than the most values allowed at the longest length is refused before it is split
                if (value.length() > maxValues * (maxValueLength + 1)) {
                    throw ExportProblem.invalidParameter(name + ": " + value.length() + " characters, more than " + maxValues
                            + " values can take");
                }
                values.addAll(split(name, value, false));
                if (values.size() > maxValues) {
                    throw ExportProblem.invalidParameter(name + ": more than " + maxValues + " values");
                }
            }
            return values;
        }

        List<String> split(String name, String value, boolean mayBeEmpty) {
            if (value == null || (mayBeEmpty && value.isBlank())) {
                return List.of();
            }
            List<String> values = new ArrayList<>();
            for (String part : value.split(",", -1)) {
                String stripped = bounded(name, part, maxValueLength).strip();
                if (stripped.isEmpty()) {
                    throw ExportProblem.invalidParameter(name + ": an empty value in '" + QueryException.prefix(value) + "'");
                }
                values.add(stripped);
            }
            if (values.size() > maxValues) {
                throw ExportProblem.invalidParameter(name + ": " + values.size() + " values, at most " + maxValues);
            }
            return values;
        }

        static String bounded(String name, String value, int maxLength) {
            if (value.length() > maxLength) {
                throw ExportProblem.invalidParameter(name + ": '" + QueryException.prefix(value) + "' is longer than " + maxLength
                        + " characters");
            }
            return value;
        }

        /** The one of {@code constants} named {@code value} (any case). */
        <E extends Enum<E>> E named(String name, String value, E[] constants) {
            String wanted = value.strip().toUpperCase(Locale.ROOT);
            for (E constant : constants) {
                if (constant.name().equals(wanted)) {
                    return constant;
                }
            }
            throw ExportProblem.invalidParameter(name + ": '" + QueryException.prefix(value) + "' is not one of " + Arrays.toString(constants));
        }
    }
}
