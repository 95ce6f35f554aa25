package org.asylumstats.stats.graphql;

import graphql.ExecutionResult;
import graphql.Scalars;
import graphql.execution.ExecutionContext;
import graphql.execution.instrumentation.DocumentAndVariables;
import graphql.execution.instrumentation.InstrumentationContext;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationExecuteOperationParameters;
import graphql.execution.instrumentation.parameters.InstrumentationExecutionParameters;
import graphql.language.Argument;
import graphql.language.ArrayValue;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.Field;
import graphql.language.FloatValue;
import graphql.language.FragmentDefinition;
import graphql.language.FragmentSpread;
import graphql.language.InlineFragment;
import graphql.language.IntValue;
import graphql.language.ListType;
import graphql.language.NonNullType;
import graphql.language.ObjectField;
import graphql.language.ObjectValue;
import graphql.language.OperationDefinition;
import graphql.language.Selection;
import graphql.language.SelectionSet;
import graphql.language.StringValue;
import graphql.language.Type;
import graphql.language.TypeName;
import graphql.language.Value;
import graphql.language.VariableDefinition;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLDirective;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLFieldsContainer;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLList;
import graphql.schema.GraphQLNonNull;
import graphql.schema.GraphQLScalarType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Refuses a request whose {@code Int} inputs are not 32-bit integers (code {@code int-out-of-range}), as the
 * GraphQL spec requires, before anything runs.
 * <p>
 * SmallRye's {@code Int} coercing lets them through: its range check on literals is true for every value but
 * -2<sup>31</sup>, after which {@code BigInteger.intValue()} wraps ({@code first: 99999999999999} reached the resolver as
 * 276447231); it takes {@code 1e3} and {@code "12"} as literals; and it passes variables on as parsed from the JSON
 * (a {@code BigDecimal} or a string), narrowed later. So every {@code Int} position is checked here:
 * <ul>
 * <li>literals (arguments, input object fields, list items, variable defaults) after parsing and before
 * validation, where SmallRye would accept or wrap them: only an integer literal within the range is an {@code Int};</li>
 * <li>variables once coerced, before execution (they are not part of the cached document): a JSON number
 * with an integral value within the range ({@code 1e3} is 1000, as graphql-java's and graphql-js's own
 * {@code Int} take it), never a string.</li>
 * </ul>
 * SmallRye's faulty range check still refuses the literal -2<sup>31</sup> itself in validation (a validation error, not
 * {@code int-out-of-range}); as a variable it is accepted.
 */
final class IntInputs extends SimplePerformantInstrumentation {

    private static final BigInteger MIN = BigInteger.valueOf(Integer.MIN_VALUE);
    private static final BigInteger MAX = BigInteger.valueOf(Integer.MAX_VALUE);
    private static final int QUOTED = 40;

    @Override
    public DocumentAndVariables instrumentDocumentAndVariables(DocumentAndVariables documentAndVariables,
                                                               InstrumentationExecutionParameters parameters, InstrumentationState state) {
        new Literals(parameters.getSchema()).check(documentAndVariables.getDocument());
        return documentAndVariables;
    }

    @Override
    public InstrumentationContext<ExecutionResult> beginExecuteOperation(InstrumentationExecuteOperationParameters parameters,
                                                                          InstrumentationState state) {
        ExecutionContext execution = parameters.getExecutionContext();
        Map<String, Object> values = execution.getCoercedVariables().toMap();
        for (VariableDefinition variable : execution.getOperationDefinition().getVariableDefinitions()) {
            GraphQLType type = typeOf(execution.getGraphQLSchema(), variable.getType());
            if (type != null) {
                checkVariable(values.get(variable.getName()), type, "$" + variable.getName());
            }
        }
        return super.beginExecuteOperation(parameters, state);
    }

    private static void checkVariable(Object value, GraphQLType type, String at) {
        GraphQLType nullable = GraphQLTypeUtil.unwrapNonNull(type);
        if (value == null) {
            return;
        }
        if (nullable instanceof GraphQLList list) {
            if (value instanceof Collection<?> items) {
                items.forEach(item -> checkVariable(item, list.getWrappedType(), at));
            } else {
                checkVariable(value, list.getWrappedType(), at);
            }
        } else if (nullable instanceof GraphQLInputObjectType object && value instanceof Map<?, ?> fields) {
            for (GraphQLInputObjectField field : object.getFieldDefinitions()) {
                checkVariable(fields.get(field.getName()), field.getType(), at + "." + field.getName());
            }
        } else if (isInt(nullable) && !isInt32(value)) {
            throw refused(at, value instanceof String text ? quoted(text) : String.valueOf(value));
        }
    }

    /** A number whose value is a whole number within the range; a string is not an Int even if it spells one. */
    private static boolean isInt32(Object value) {
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return true;
        }
        if (!(value instanceof Number number)) {
            return false;
        }
        try {
            BigDecimal decimal = number instanceof BigDecimal exact ? exact : new BigDecimal(number.toString());
            decimal.intValueExact();
            return true;
        } catch (ArithmeticException | NumberFormatException notAnInt) { // a fraction, out of range, NaN or infinite
            return false;
        }
    }

    /** Walks every selection, directive and variable default of a document with the schema's input types. */
    private record Literals(GraphQLSchema schema) {

        void check(Document document) {
            for (OperationDefinition operation : document.getDefinitionsOfType(OperationDefinition.class)) {
                for (VariableDefinition variable : operation.getVariableDefinitions()) {
                    GraphQLType type = typeOf(schema, variable.getType());
                    if (variable.getDefaultValue() != null && type != null) {
                        checkLiteral(variable.getDefaultValue(), type, "$" + variable.getName());
                    }
                }
                directives(operation.getDirectives());
                selections(operation.getSelectionSet(), rootType(operation.getOperation()));
            }
            for (FragmentDefinition fragment : document.getDefinitionsOfType(FragmentDefinition.class)) {
                directives(fragment.getDirectives());
                selections(fragment.getSelectionSet(), schema.getType(fragment.getTypeCondition().getName()));
            }
        }

        private GraphQLType rootType(OperationDefinition.Operation operation) {
            return switch (operation) {
                case QUERY -> schema.getQueryType();
                case MUTATION -> schema.getMutationType();
                case SUBSCRIPTION -> schema.getSubscriptionType();
            };
        }

        private void selections(SelectionSet selectionSet, GraphQLType parent) {
            if (selectionSet == null) {
                return;
            }
            for (Selection<?> selection : selectionSet.getSelections()) {
                if (selection instanceof Field field) {
                    directives(field.getDirectives());
                    GraphQLFieldDefinition definition = parent instanceof GraphQLFieldsContainer container
                            ? container.getFieldDefinition(field.getName()) : null;
                    if (definition != null) { // an unknown field is validation's to refuse
                        arguments(field.getArguments(), definition::getArgument);
                        selections(field.getSelectionSet(), GraphQLTypeUtil.unwrapAll(definition.getType()));
                    }
                } else if (selection instanceof InlineFragment inline) {
                    directives(inline.getDirectives());
                    selections(inline.getSelectionSet(),
                            inline.getTypeCondition() == null ? parent : schema.getType(inline.getTypeCondition().getName()));
                } else {
                    directives(selection instanceof FragmentSpread spread ? spread.getDirectives() : List.of());
                }
            }
        }

        private void directives(List<Directive> directives) {
            for (Directive directive : directives) {
                GraphQLDirective definition = schema.getDirective(directive.getName());
                if (definition != null) {
                    arguments(directive.getArguments(), definition::getArgument);
                }
            }
        }

        private static void arguments(List<Argument> arguments, Function<String, GraphQLArgument> definitions) {
            for (Argument argument : arguments) {
                GraphQLArgument definition = definitions.apply(argument.getName());
                if (definition != null) {
                    checkLiteral(argument.getValue(), definition.getType(), argument.getName());
                }
            }
        }
    }

    private static void checkLiteral(Value<?> value, GraphQLType type, String at) {
        GraphQLType nullable = GraphQLTypeUtil.unwrapNonNull(type);
        if (nullable instanceof GraphQLList list) {
            if (value instanceof ArrayValue array) {
                array.getValues().forEach(item -> checkLiteral(item, list.getWrappedType(), at));
            } else {
                checkLiteral(value, list.getWrappedType(), at);
            }
        } else if (nullable instanceof GraphQLInputObjectType object && value instanceof ObjectValue fields) {
            for (ObjectField field : fields.getObjectFields()) {
                GraphQLInputObjectField definition = object.getField(field.getName());
                if (definition != null) {
                    checkLiteral(field.getValue(), definition.getType(), at + "." + field.getName());
                }
            }
        } else if (isInt(nullable)) {
            // other literals (booleans, enums, objects) SmallRye refuses itself; variables are checked once coerced
            if (value instanceof IntValue integer && (integer.getValue().compareTo(MIN) < 0 || integer.getValue().compareTo(MAX) > 0)) {
                throw refused(at, integer.getValue().toString());
            }
            if (value instanceof FloatValue decimal) {
                throw refused(at, decimal.getValue().toString());
            }
            if (value instanceof StringValue text) {
                throw refused(at, quoted(text.getValue()));
            }
        }
    }

    private static boolean isInt(GraphQLType type) {
        return type instanceof GraphQLScalarType scalar && scalar.getName().equals(Scalars.GraphQLInt.getName());
    }

    /** The schema type a variable is declared with; null when the document names an unknown type (validation refuses it). */
    private static GraphQLType typeOf(GraphQLSchema schema, Type<?> type) {
        if (type instanceof NonNullType nonNull) {
            GraphQLType wrapped = typeOf(schema, nonNull.getType());
            return wrapped == null ? null : GraphQLNonNull.nonNull(wrapped);
        }
        if (type instanceof ListType list) {
            GraphQLType wrapped = typeOf(schema, list.getType());
            return wrapped == null ? null : GraphQLList.list(wrapped);
        }
        return schema.getType(((TypeName) type).getName());
    }

    /** At most 40 characters of what the request sent (variable names are the caller's too). */
    private static String shortened(String text) {
        return text.length() > QUOTED ? text.substring(0, QUOTED) + "..." : text;
    }

    private static String quoted(String text) {
        return "\"" + text + "\"";
    }

    private static RuntimeException refused(String at, String value) {
        return RequestBudget.refused("int-out-of-range", shortened(at) + ": " + shortened(value) + " is not an Int, a whole number from "
                + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE, Map.of());
    }
}
