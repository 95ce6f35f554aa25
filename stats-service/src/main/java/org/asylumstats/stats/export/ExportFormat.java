package org.asylumstats.stats.export;

import org.asylumstats.stats.figures.QueryException;

/** The formats of an export ({@code format=csv}, the default, or {@code format=json-stat}). */
enum ExportFormat {
    CSV("csv", "text/csv; charset=utf-8"),
    JSON_STAT("json-stat", "application/json");

    private final String parameter;
    private final String mediaType;

    ExportFormat(String parameter, String mediaType) {
        this.parameter = parameter;
        this.mediaType = mediaType;
    }

    static ExportFormat of(String parameter) {
        if (parameter == null) {
            return CSV;
        }
        for (ExportFormat format : values()) {
            if (format.parameter.equalsIgnoreCase(parameter.strip())) {
                return format;
            }
        }
        throw ExportProblem.invalidParameter("format: '" + QueryException.prefix(parameter) + "' is not csv or json-stat");
    }

    String parameter() {
        return parameter;
    }

    String mediaType() {
        return mediaType;
    }
}
