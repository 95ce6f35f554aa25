package org.asylumstats.stats.export;

import org.asylumstats.stats.figures.Dimension;
import org.asylumstats.stats.figures.Results;
import org.asylumstats.stats.figures.StatementBuilder;

import java.util.Locale;

/** How a grouping dimension is named in an export (the CSV column, the JSON-stat dimension id) and read off a row. */
final class ExportDimensions {

    private ExportDimensions() {
    }

    /** {@code ORIGIN_REGION} -> {@code originRegion}: the CSV column and JSON-stat id. */
    static String id(Dimension dimension) {
        return StatementBuilder.camel(dimension.name().toLowerCase(Locale.ROOT));
    }

    /** Whether the dimension's values are country codes (named in a second column, labelled by name in JSON-stat). */
    static boolean countries(Dimension dimension) {
        return dimension == Dimension.ORIGIN || dimension == Dimension.ASYLUM;
    }

    /** Countries and regions: JSON-stat's geo role. */
    static boolean geographic(Dimension dimension) {
        return countries(dimension) || dimension == Dimension.ORIGIN_REGION || dimension == Dimension.ASYLUM_REGION;
    }

    static String label(Dimension dimension) {
        return switch (dimension) {
            case YEAR -> "Year";
            case ORIGIN -> "Country of origin";
            case ASYLUM -> "Country of asylum";
            case ORIGIN_REGION -> "Region of origin";
            case ASYLUM_REGION -> "Region of asylum";
            case PROCEDURE -> "Procedure";
            case APPLICATION_TYPE -> "Application type";
            case DECISION_LEVEL -> "Decision level";
            case SEX -> "Sex";
            case AGE_GROUP -> "Age group";
            case POPULATION_TYPE -> "Population type";
        };
    }

    /** The row's value of {@code dimension} as text; null when the row has none. */
    static String value(Results.Row row, Dimension dimension) {
        return switch (dimension) {
            case YEAR -> row.year() == null ? null : row.year().toString();
            case ORIGIN -> row.originCode();
            case ASYLUM -> row.asylumCode();
            case ORIGIN_REGION -> row.originRegion();
            case ASYLUM_REGION -> row.asylumRegion();
            case PROCEDURE -> row.procedure();
            case APPLICATION_TYPE -> row.applicationType();
            case DECISION_LEVEL -> row.decisionLevel();
            case SEX -> row.sex() == null ? null : row.sex().name();
            case AGE_GROUP -> row.ageGroup();
            case POPULATION_TYPE -> row.populationType();
        };
    }
}
