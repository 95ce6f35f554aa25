package org.asylumstats.stats.graphql;

import graphql.GraphQL;
import graphql.analysis.MaxQueryComplexityInstrumentation;
import graphql.analysis.MaxQueryDepthInstrumentation;
import graphql.execution.instrumentation.ChainedInstrumentation;
import graphql.execution.instrumentation.Instrumentation;
import graphql.parser.ParserOptions;
import io.smallrye.graphql.execution.QueryCache;
import io.smallrye.graphql.spi.config.Config;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.asylumstats.stats.config.StatsConfig;

import java.util.ArrayList;
import java.util.List;

/**
 * Puts the service's limits into the GraphQL engine as SmallRye builds it
 * ({@code quarkus.smallrye-graphql.events.enabled}: the builder is a CDI event).
 * <ul>
 * <li>Parser limits: SmallRye sets {@code parser-max-tokens} as graphql-java's <em>default</em> parser
 * options, but graphql-java (since 20) parses operations with its separate <em>operation</em> parser
 * options (15,000 tokens), so a 2,100-token document was answered. They are set here too.</li>
 * <li>Instrumentation: the builder's chain cannot be read, only replaced; it is rebuilt as SmallRye
 * builds it (depth and field-complexity limits from its settings, its document cache) with
 * {@link IntInputs} and the {@link RequestBudget} added.</li>
 * </ul>
 */
@ApplicationScoped
public class GraphQlLimits {

    @Inject
    StatsConfig config;

    void onBuild(@Observes GraphQL.Builder builder) {
        Config smallrye = Config.get();
        ParserOptions.setDefaultOperationParserOptions(ParserOptions.getDefaultOperationParserOptions().transform(options -> {
            smallrye.getParserMaxTokens().ifPresent(options::maxTokens);
            smallrye.getParserMaxWhitespaceTokens().ifPresent(options::maxWhitespaceTokens);
        }));
        List<Instrumentation> chain = new ArrayList<>();
        smallrye.getQueryDepthInstrumentation().ifPresent(depth -> chain.add(new MaxQueryDepthInstrumentation(depth)));
        smallrye.getQueryComplexityInstrumentation().ifPresent(fields -> chain.add(new MaxQueryComplexityInstrumentation(fields)));
        chain.add(new IntInputs()); // before the budget: a wrapped first would be priced wrong
        chain.add(new RequestBudget(config));
        QueryCache documents = new QueryCache();
        chain.add(documents);
        builder.instrumentation(new ChainedInstrumentation(chain)).preparsedDocumentProvider(documents);
    }
}
