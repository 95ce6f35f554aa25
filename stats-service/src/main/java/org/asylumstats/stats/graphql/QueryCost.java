package org.asylumstats.stats.graphql;

import graphql.analysis.QueryTraverser;
import graphql.analysis.QueryVisitorFieldEnvironment;
import graphql.analysis.QueryVisitorStub;
import graphql.execution.CoercedVariables;
import graphql.language.Document;
import graphql.schema.GraphQLSchema;
import org.asylumstats.stats.config.StatsConfig;
import org.asylumstats.stats.figures.YearRange;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a request would cost, computed from its document and variables before anything runs: the
 * rows it asks for and its top-level fields (each alias counted).
 * <p>
 * A field's cost is its length (entries per parent entry: 1 unless it is a list) times its own row
 * (1 for a list of rows, 0 otherwise) plus its children's cost; so nested lists multiply and aliases
 * add. Lengths: {@code first} (or its default) for the paged lists, the years asked for (at most
 * 1951..next year) for {@code series}, estimates for the short unpaged lists. Introspection costs nothing.
 */
final class QueryCost {

    /** Releases a list of releases or vintages is assumed to hold (publications come one or two a year). */
    static final int RELEASES = 10;
    /** Countries {@code countries} answers (about 250). */
    static final int COUNTRIES = 300;

    record Result(long rows, int rootFields) {
    }

    private final StatsConfig config;

    QueryCost(StatsConfig config) {
        this.config = config;
    }

    Result of(GraphQLSchema schema, Document document, String operationName, CoercedVariables variables) {
        QueryTraverser traverser = QueryTraverser.newQueryTraverser().schema(schema).document(document)
                .operationName(operationName).coercedVariables(variables).build();
        Map<QueryVisitorFieldEnvironment, Long> childCosts = new HashMap<>();
        long[] rows = {0};
        int[] rootFields = {0};
        traverser.visitPostOrder(new QueryVisitorStub() {
            @Override
            public void visitField(QueryVisitorFieldEnvironment env) {
                if (env.isTypeNameIntrospectionField()) {
                    return;
                }
                String coordinates = env.getFieldsContainer().getName() + "." + env.getFieldDefinition().getName();
                long length = length(coordinates, env);
                long own = isRowList(coordinates) ? 1 : 0;
                long cost = saturated(length, own + childCosts.getOrDefault(env, 0L));
                QueryVisitorFieldEnvironment parent = env.getParentEnvironment();
                if (parent == null) {
                    rootFields[0]++;
                    rows[0] = Math.min(rows[0] + cost, Long.MAX_VALUE / 2); // both at most MAX/2: no overflow
                } else {
                    childCosts.merge(parent, cost, (a, b) -> Math.min(a + b, Long.MAX_VALUE / 2));
                }
            }
        });
        return new Result(rows[0], rootFields[0]);
    }

    private static boolean isRowList(String coordinates) {
        return switch (coordinates) {
            case "Query.figures", "Query.series", "Query.revisions", "Query.recognitionRates", "Query.releases",
                 "Query.countries", "Query.compare", "Query.peak", "Query.release", "Revision.vintages",
                 "FigureTable.releases" -> true;
            default -> false;
        };
    }

    private long length(String coordinates, QueryVisitorFieldEnvironment env) {
        Map<String, Object> args = env.getArguments();
        return switch (coordinates) {
            // a table's rows are paged by figures' first; without groupBy it is one row
            case "Query.figures" -> {
                Object groupBy = args.get("groupBy");
                long first = first(args, config.defaultFirst());
                yield groupBy instanceof List<?> dims && !dims.isEmpty() ? first : Math.min(first, 1);
            }
            case "Query.series" -> years(args);
            case "Query.revisions", "Query.recognitionRates" -> first(args, config.defaultListFirst());
            case "Query.releases", "Revision.vintages", "FigureTable.releases" -> RELEASES;
            case "Query.countries" -> COUNTRIES;
            default -> 1;
        };
    }

    /** {@code first} as asked (never below 0; an over-limit first is refused by the query itself) or its default. */
    private static long first(Map<String, Object> args, int defaultFirst) {
        return args.get("first") instanceof Number n ? Math.max(0, n.longValue()) : defaultFirst;
    }

    /** Years a series answers: the range asked for, clamped to the statistics' years, else all of them. */
    private static long years(Map<String, Object> args) {
        long all = YearRange.lastYear() - YearRange.firstYear() + 1;
        if (args.get("filter") instanceof Map<?, ?> filter && filter.get("years") instanceof Map<?, ?> years
                && years.get("from") instanceof Number from && years.get("to") instanceof Number to) {
            long first = Math.max(from.longValue(), YearRange.firstYear());
            long last = Math.min(to.longValue(), YearRange.lastYear());
            return Math.max(0, Math.min(all, last - first + 1));
        }
        return all;
    }

    private static long saturated(long a, long b) {
        long product = a * b;
        return a != 0 && (product / a != b || product < 0) ? Long.MAX_VALUE / 2 : Math.min(product, Long.MAX_VALUE / 2);
    }
}
