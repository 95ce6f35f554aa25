package org.asylumstats.ingest.upload;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.asylumstats.ingest.config.IngestConfig;
import org.jboss.logging.Logger;

/**
 * Bounds the time a request body may take to arrive ({@code asylumstats.ingest.max-upload-duration}):
 * a client trickling a byte now and then would otherwise hold a connection and, once the upload
 * reads its body, a worker thread for as long as it likes. Past the deadline the connection is
 * closed; the worker blocked on the body sees it fail and gives up.
 */
@ApplicationScoped
public class UploadDeadline {

    private static final Logger LOG = Logger.getLogger(UploadDeadline.class);

    @Inject
    IngestConfig config;
    @Inject
    Vertx vertx;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::watch);
    }

    private void watch(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.isEnded()) {
            context.next();
            return;
        }
        long timer = vertx.setTimer(config.maxUploadDuration().toMillis(), id -> {
            if (!request.isEnded()) {
                LOG.warnf("closing the connection of %s %s: its body did not arrive within %s",
                        request.method(), request.path(), config.maxUploadDuration());
                request.connection().close();
            }
        });
        context.addEndHandler(ended -> vertx.cancelTimer(timer));
        context.next();
    }
}
