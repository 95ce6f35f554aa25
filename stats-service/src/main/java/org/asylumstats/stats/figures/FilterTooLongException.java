package org.asylumstats.stats.figures;

import io.smallrye.graphql.api.ErrorCode;

/** A filter list with too many values, or a value too long to be a code or a region's name. */
@ErrorCode("filter-too-long")
public class FilterTooLongException extends QueryException {

    public FilterTooLongException(String message) {
        super(message);
    }
}
