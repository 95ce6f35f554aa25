package org.asylumstats.stats;

import jakarta.inject.Inject;
import org.asylumstats.stats.database.Sql;
import org.asylumstats.stats.figures.SqlStatement;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.GraphQLApi;
import org.eclipse.microprofile.graphql.NonNull;
import org.eclipse.microprofile.graphql.Query;

import java.util.List;

/**
 * Test only (the test tree's bean, absent from the served schema): a question the database takes
 * long to answer, run through the service's real {@link Sql} path, so that the statement timeout
 * and the cancellation of a departed caller's query are exercised as every figure query meets them.
 */
@GraphQLApi
public class SlowQuestionApi {

    /** Marks the slow question's SQL in pg_stat_activity. */
    static final String MARK = "/* slow question */";

    @Inject
    Sql sql;

    @Query
    @Description("test only: sleeps in the database for the given seconds")
    public @NonNull Integer slowQuestion(@NonNull Integer seconds) {
        return sql.query(new SqlStatement("SELECT 1 " + MARK + " FROM pg_sleep(?::double precision)", List.of(seconds.toString())), rs -> {
            rs.next();
            return rs.getInt(1);
        });
    }
}
