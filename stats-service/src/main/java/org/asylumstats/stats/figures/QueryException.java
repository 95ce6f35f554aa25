package org.asylumstats.stats.figures;

import io.smallrye.graphql.api.ErrorCode;

/** A question that cannot be answered as asked: its message goes to the caller as a GraphQL error. */
@ErrorCode("bad-query")
public class QueryException extends RuntimeException {

    /** Longest part of a rejected value an error message quotes. */
    static final int QUOTED = 40;

    public QueryException(String message) {
        super(message, null, false, false);
    }

    /** What an error message quotes of a value the caller sent: at most its first {@value #QUOTED} characters. */
    public static String prefix(String value) {
        return value.length() <= QUOTED ? value : value.substring(0, QUOTED) + "…";
    }
}
