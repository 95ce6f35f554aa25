package org.asylumstats.stats.export;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;
import org.asylumstats.stats.catalog.Catalog;
import org.asylumstats.stats.config.StatsConfig;
import org.asylumstats.stats.figures.FigureExport;
import org.asylumstats.stats.figures.FigureQueries;
import org.asylumstats.stats.figures.QueryException;
import org.asylumstats.stats.figures.QueryTimeoutException;
import org.asylumstats.stats.figures.SelectionTooLargeException;
import org.asylumstats.stats.http.HttpCaching;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Locale;

/**
 * {@code GET /export/figures}: the selection of the GraphQL {@code figures} query, every row (up to
 * {@code asylumstats.stats.export.max-rows}, refused beyond it, never cut), as CSV or JSON-stat 2.0,
 * with the citation, the licence ({@code Link}) and HTTP caching (ETag from the normalised
 * parameters and what is current, 304 on If-None-Match). Thin: the rows come from {@link FigureQueries}.
 */
@Path("/export")
public class FiguresExportResource {

    private static final Logger LOG = Logger.getLogger(FiguresExportResource.class);

    @Inject
    FigureQueries queries;
    @Inject
    Catalog catalog;
    @Inject
    HttpCaching caching;
    @Inject
    StatsConfig config;

    @GET
    @Path("/figures")
    public Response figures(@Context UriInfo uri, @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        FiguresExportRequest request = FiguresExportRequest.parse(uri.getQueryParameters(), config.maxFilterValues(),
                config.maxFilterValueLength());
        // taken before the rows are read: a publication meanwhile pairs an older tag with a newer body, never the reverse
        String etag = caching.etag(request.canonical());
        String cacheControl = caching.cacheControl(true);
        if (HttpCaching.matches(ifNoneMatch, etag)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).header(HttpHeaders.CACHE_CONTROL, cacheControl)
                    .header("Link", Citation.LINK).build();
        }
        FigureExport export = queries.export(request.measure(), request.filter(), request.groupBy(), config.export().maxRows(), request.asOf());
        StreamingOutput body;
        Response.ResponseBuilder response = Response.ok();
        if (request.format() == ExportFormat.JSON_STAT) {
            JsonStatFigures cube = JsonStatFigures.of(export, request.groupBy(), config.export().maxCells());
            body = out -> cube.write(request.groupBy(), catalog, out);
        } else {
            body = out -> {
                Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
                CsvFigures.write(export, request.groupBy(), catalog, writer);
                writer.flush();
            };
            response.header("Content-Disposition", "attachment; filename=\"" + request.measure().name().toLowerCase(Locale.ROOT) + ".csv\"");
        }
        return response.entity(body).type(request.format().mediaType())
                .header(HttpHeaders.ETAG, etag).header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .header("Link", Citation.LINK).header("Citation", Citation.header(export.releases()))
                .build();
    }

    @ServerExceptionMapper
    Response refused(ExportProblem problem) {
        return problem(problem.status(), problem.type(), problem.title(), problem.getMessage());
    }

    @ServerExceptionMapper
    Response tooLarge(SelectionTooLargeException e) {
        return refused(ExportProblem.tooLarge(e.getMessage()));
    }

    /** Past the statement timeout: it may not recur, so nothing keeps the answer. */
    @ServerExceptionMapper
    Response timedOut(QueryTimeoutException e) {
        return problem(503, "query-timeout", "Query timeout", e.getMessage());
    }

    /** The figure queries' own checks (an unknown country, a dimension the measure lacks, asOf): their messages name the parameter. */
    @ServerExceptionMapper
    Response badQuestion(QueryException e) {
        return problem(400, "invalid-parameter", "Invalid parameter", e.getMessage());
    }

    /** The database failed the query (Sql wraps its SQLException): the cause is logged, never shown. */
    @ServerExceptionMapper
    Response failed(IllegalStateException e) {
        if (e.getCause() instanceof SQLException) {
            LOG.warn("export failed: the database did not answer", e);
            return problem(503, "database-unavailable", "Database unavailable", "the figures could not be read; try again later");
        }
        LOG.error("export failed", e);
        return problem(500, "internal-error", "Internal error", "the export failed; the cause is logged");
    }

    private static Response problem(int status, String type, String title, String detail) {
        StringWriter body = new StringWriter();
        try (JsonGenerator json = new JsonFactory().createGenerator(body)) {
            json.writeStartObject();
            json.writeStringField("type", ExportProblem.TYPE_BASE + type);
            json.writeStringField("title", title);
            json.writeNumberField("status", status);
            json.writeStringField("detail", detail);
            json.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e); // a StringWriter does not fail
        }
        Response.ResponseBuilder response = Response.status(status).type("application/problem+json").entity(body.toString());
        if (status >= 500) {
            response.header(HttpHeaders.CACHE_CONTROL, HttpCaching.NO_STORE);
        }
        return response.build();
    }
}
