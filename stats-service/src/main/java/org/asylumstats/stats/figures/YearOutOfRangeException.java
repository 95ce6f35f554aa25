package org.asylumstats.stats.figures;

import io.smallrye.graphql.api.ErrorCode;

/** A year outside 1951..next year, or a range running backwards. */
@ErrorCode("year-out-of-range")
public class YearOutOfRangeException extends QueryException {

    public YearOutOfRangeException(String message) {
        super(message);
    }
}
