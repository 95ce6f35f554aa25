package org.asylumstats.stats.graphql;

import io.smallrye.graphql.api.ErrorCode;
import org.eclipse.microprofile.graphql.GraphQLException;

/**
 * A list answer cut at {@code first}: the entries are returned as the field's data, and this error
 * (code {@code truncated}) says that the selection holds more, so that a cut list is never taken
 * for the whole one.
 */
@ErrorCode("truncated")
public class TruncatedException extends GraphQLException {

    TruncatedException(String field, int first, Object entries) {
        super(field + ": only the first " + first + " entries are returned and the selection holds more;"
                + " ask with a larger first or a narrower filter", entries);
    }
}
