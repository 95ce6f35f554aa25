package org.asylumstats.stats.figures;

import io.smallrye.graphql.api.ErrorCode;

/** The database gave up on the question: it ran past the statement timeout, or its caller left. */
@ErrorCode("query-timeout")
public class QueryTimeoutException extends QueryException {

    public QueryTimeoutException(String message) {
        super(message);
    }
}
