package org.asylumstats.stats.figures;

import io.smallrye.graphql.api.ErrorCode;

/** A question that cannot be answered as asked: its message goes to the caller as a GraphQL error. */
@ErrorCode("bad-query")
public class QueryException extends RuntimeException {

    public QueryException(String message) {
        super(message, null, false, false);
    }
}
