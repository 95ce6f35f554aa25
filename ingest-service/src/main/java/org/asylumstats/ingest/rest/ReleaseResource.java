package org.asylumstats.ingest.rest;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerResponse;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.asylumstats.ingest.core.Issue;
import org.asylumstats.ingest.core.ValidationReport;
import org.asylumstats.ingest.problem.Problem;
import org.asylumstats.ingest.problem.Problems;
import org.asylumstats.ingest.release.Actor;
import org.asylumstats.ingest.release.NewRelease;
import org.asylumstats.ingest.release.Rejection;
import org.asylumstats.ingest.release.ReleaseService;
import org.asylumstats.ingest.release.ReleaseView;
import org.asylumstats.ingest.upload.UploadService;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;

/** The ingest REST API (SPEC "Ingest REST API"): thin; the rules live in the services. */
@Path("/api/releases")
@Produces(MediaType.APPLICATION_JSON)
@RegisterForReflection(targets = {ValidationReport.class, Issue.class})
public class ReleaseResource {

    @Inject
    ReleaseService releases;
    @Inject
    UploadService uploads;
    @Inject
    SecurityIdentity identity;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("analyst")
    public Response create(@Valid @NotNull NewRelease request) {
        ReleaseView created = releases.create(request, actor());
        return Response.status(Response.Status.CREATED).header("Location", "/api/releases/" + created.id()).entity(created).build();
    }

    @GET
    @RolesAllowed({"analyst", "reviewer", "admin"})
    public List<ReleaseView> list() {
        return releases.list();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({"analyst", "reviewer", "admin"})
    public ReleaseView get(@PathParam("id") long id) {
        return releases.get(id);
    }

    @PUT
    @Path("{id}/datasets/{dataset}")
    @Consumes({"text/csv", MediaType.APPLICATION_JSON, "application/gzip", "application/x-gzip", MediaType.APPLICATION_OCTET_STREAM})
    @RolesAllowed("analyst")
    public Response upload(@PathParam("id") long id, @PathParam("dataset") String dataset, InputStream body,
                           @Context HttpServerResponse response) {
        try {
            return answer(uploads.upload(id, dataset, body, actor()));
        } finally {
            // every answer, refusals before the body was read included, follows the whole body, so the
            // connection stays usable for the next request; past the limit it is closed instead
            if (!uploads.finishReading(body)) {
                response.putHeader("Connection", "close");
            }
        }
    }

    @PUT
    @Path("{id}/datasets/{dataset}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @RolesAllowed("analyst")
    public Response uploadForm(@PathParam("id") long id, @PathParam("dataset") String dataset, @RestForm("file") FileUpload file) {
        if (file == null) {
            throw Problems.invalidRequest("the form has no 'file' part");
        }
        try (InputStream body = Files.newInputStream(file.uploadedFile())) {
            return answer(uploads.upload(id, dataset, body, actor()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @POST
    @Path("{id}/submit")
    @RolesAllowed("analyst")
    public ReleaseView submit(@PathParam("id") long id) {
        return releases.submit(id, actor());
    }

    @POST
    @Path("{id}/publish")
    @RolesAllowed("reviewer")
    public ReleaseView publish(@PathParam("id") long id) {
        return releases.publish(id, actor());
    }

    @POST
    @Path("{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed("reviewer")
    public ReleaseView reject(@PathParam("id") long id, @Valid @NotNull Rejection rejection) {
        return releases.reject(id, rejection, actor());
    }

    @POST
    @Path("{id}/retract")
    @RolesAllowed("admin")
    public ReleaseView retract(@PathParam("id") long id) {
        return releases.retract(id, actor());
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed("analyst")
    public Response delete(@PathParam("id") long id) {
        releases.delete(id, actor());
        return Response.noContent().build();
    }

    private Response answer(UploadService.Outcome outcome) {
        if (!outcome.report().valid()) {
            throw new Problem(422, "invalid-file", "Invalid dataset file",
                    outcome.report().errorCount() + " error(s); nothing was loaded", java.util.Map.of("report", outcome.report()));
        }
        return Response.ok(outcome.reportJson(), MediaType.APPLICATION_JSON)
                .header("X-Upload-Repeated", outcome.repeated())
                .build();
    }

    /** The caller by token subject (what the rules compare) and name (what is shown). */
    private Actor actor() {
        String subject = identity.getPrincipal() instanceof JsonWebToken token ? token.getSubject() : null;
        if (subject == null || subject.isBlank()) {
            throw Problems.of(Response.Status.FORBIDDEN, "no-subject", "Token without subject",
                    "the access token names no subject (sub); the release rules need one");
        }
        return new Actor(subject, identity.getPrincipal().getName());
    }
}
