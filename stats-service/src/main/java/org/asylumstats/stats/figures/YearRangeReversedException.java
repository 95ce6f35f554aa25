package org.asylumstats.stats.figures;

import io.smallrye.graphql.api.ErrorCode;

/** A year range whose {@code from} is after its {@code to}. */
@ErrorCode("year-range-reversed")
public class YearRangeReversedException extends QueryException {

    public YearRangeReversedException(String message) {
        super(message);
    }
}
