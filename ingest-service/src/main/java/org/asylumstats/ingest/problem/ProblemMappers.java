package org.asylumstats.ingest.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;

/**
 * Every failure answered as application/problem+json. Authentication (401) and authorisation (403)
 * failures are answered by Quarkus security with their own challenge and stay as they are.
 */
public class ProblemMappers {

    public static final String PROBLEM_JSON = "application/problem+json";
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response problem(Problem problem, UriInfo uri) {
        return respond(problem, uri);
    }

    @ServerExceptionMapper
    public Response invalidBody(ConstraintViolationException e, UriInfo uri) {
        String detail = e.getConstraintViolations().stream()
                .map(v -> field(v.getPropertyPath()) + " " + v.getMessage())
                .sorted().reduce((a, b) -> a + "; " + b).orElse("invalid request");
        return respond(new Problem(400, "invalid-request", "Invalid request", detail, Map.of()), uri);
    }

    /** Jackson's own messages name Java types and echo input: the detail is ours, naming at most the field. */
    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        String detail;
        if (e instanceof StreamConstraintsException) {
            detail = "the JSON body nests too deep or holds a value that is too long";
        } else if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
            detail = "'" + excerpt(field) + "' has the wrong type or format";
        } else if (e.getLocation() != null) {
            detail = "the body is not well-formed JSON (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        } else {
            detail = "the body is not JSON of the expected shape";
        }
        return respond(new Problem(400, "invalid-json", "Malformed JSON body", detail, Map.of()), uri);
    }

    /** Well-formed JSON of the wrong shape (e.g. a date that is not one): more specific than the above,
     *  so it needs its own mapper to win over quarkus-rest-jackson's plain-JSON one. */
    @ServerExceptionMapper
    public Response mismatchedJson(com.fasterxml.jackson.databind.exc.MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri) {
        // quarkus-rest wraps Jackson's parse and coercion failures (e.g. a number too large for its
        // field) in a plain 400: answer them like the other JSON failures, naming the field
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, uri);
        }
        int status = e.getResponse().getStatus();
        if (status == 401 || status == 403) {
            return e.getResponse();
        }
        Response.Status known = Response.Status.fromStatusCode(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        String type = switch (status) {
            case 400 -> "invalid-request";
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "file-too-large";
            case 415 -> "unsupported-media-type";
            default -> "http-" + status;
        };
        // the framework's messages may carry internals; only its plain "HTTP 404 Not Found" ones are kept
        String detail = e.getMessage() != null && e.getMessage().matches("HTTP \\d{3} [A-Za-z ]{1,60}") ? e.getMessage() : title;
        return respond(new Problem(status, type, title, detail, Map.of()), uri);
    }

    @ServerExceptionMapper(priority = 10_000)
    public Response unexpected(RuntimeException e, UriInfo uri) {
        if (e instanceof WebApplicationException || e instanceof io.quarkus.security.AuthenticationFailedException
                || e instanceof io.quarkus.security.ForbiddenException || e instanceof io.quarkus.security.UnauthorizedException) {
            throw e;
        }
        if (databaseUnavailable(e)) {
            LOG.warnf("database unavailable on %s: %s", uri.getPath(), e.getMessage());
            Problem problem = new Problem(503, "database-unavailable", "Database unavailable",
                    "the database could not be reached; nothing was changed. Try again shortly.", Map.of());
            return Response.status(503).type(PROBLEM_JSON).header("Retry-After", "5").entity(problem.body(uri.getPath())).build();
        }
        LOG.errorf(e, "unexpected failure on %s", uri.getPath());
        return respond(new Problem(500, "internal-error", "Internal error",
                "the request failed on our side and changed nothing; it has been logged", Map.of()), uri);
    }

    /** Connection failures (SQLState class 08) and server shutdowns (57P01..57P03) anywhere in the causes. */
    private static boolean databaseUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) {
                return true;
            }
        }
        return false;
    }

    private static Response respond(Problem problem, UriInfo uri) {
        return Response.status(problem.status()).type(PROBLEM_JSON).entity(problem.body(uri == null ? null : uri.getPath())).build();
    }

    private static String excerpt(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "\uFFFD");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }

    /** The field as the body names it ("referencePeriods[0].year"): without the Java method and parameter
     *  that hold the body, nor the validator's "<list element>" for a list's own elements. */
    private static String field(Path path) {
        StringBuilder field = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getKind() == ElementKind.METHOD || node.getKind() == ElementKind.PARAMETER) {
                continue;
            }
            if (node.isInIterable() && node.getIndex() != null) {
                field.append('[').append(node.getIndex()).append(']');
            }
            if (node.getKind() == ElementKind.PROPERTY) {
                field.append(field.isEmpty() ? "" : ".").append(node.getName());
            }
        }
        return field.isEmpty() ? "the body" : excerpt(field.toString());
    }
}
