package org.asylumstats.stats.graphql;

import graphql.ErrorType;
import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.execution.AbortExecutionException;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.ExecutionResult;
import org.asylumstats.stats.config.StatsConfig;

import java.util.List;
import java.util.Map;

/**
 * Refuses a request before any of its fields runs when it asks for more rows than the per-request
 * budget (code {@code cost-exceeded}) or more top-level fields than allowed (code {@code too-many-fields}).
 * graphql-java's complexity limit counts fields, so that eight aliases with {@code first: 10000}
 * once fitted it; this counts rows (see {@link QueryCost}).
 */
final class RequestBudget extends SimplePerformantInstrumentation {

    private final StatsConfig config;
    private final QueryCost cost;

    RequestBudget(StatsConfig config) {
        this.config = config;
        this.cost = new QueryCost(config);
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
                                                                          InstrumentationState state) {
        ExecutionContext execution = parameters.getExecutionContext();
        QueryCost.Result asked = cost.of(execution.getGraphQLSchema(), execution.getDocument(),
                execution.getExecutionInput().getOperationName(), execution.getCoercedVariables());
        if (asked.rootFields() > config.maxRootFields()) {
            throw refused("too-many-fields", "the request asks for " + asked.rootFields() + " top-level fields (aliases counted); at most "
                    + config.maxRootFields() + " are answered in one request", Map.of("fields", asked.rootFields(), "limit", config.maxRootFields()));
        }
        if (asked.rows() > config.requestRowBudget()) {
            throw refused("cost-exceeded", "the request would cost " + asked.rows() + " rows (first and list lengths, multiplied when nested,"
                    + " summed over fields and aliases); the budget is " + config.requestRowBudget() + " rows a request",
                    Map.of("cost", asked.rows(), "budget", config.requestRowBudget()));
        }
        return super.beginExecuteOperation(parameters, state);
    }

    static AbortExecutionException refused(String code, String message, Map<String, Object> figures) {
        Map<String, Object> extensions = new java.util.LinkedHashMap<>();
        extensions.put("code", code);
        extensions.putAll(figures);
        GraphQLError error = GraphqlErrorBuilder.newError().errorType(ErrorType.ExecutionAborted).message(message).extensions(extensions).build();
        return new AbortExecutionException(List.of(error));
    }
}
