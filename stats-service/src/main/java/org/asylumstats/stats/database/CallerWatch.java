package org.asylumstats.stats.database;

import io.quarkus.arc.Arc;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Cancels the SQL of callers who have gone (a client, or the gateway after its response timeout,
 * closed the connection): their answer can no longer be delivered, and the database should not
 * keep working for nobody. Running statements are checked a few times a second against their
 * response's connection; the response's close handler is not used, since Quarkus and Vert.x Web
 * each hold that single slot for their own clean-up.
 */
@ApplicationScoped
public class CallerWatch {

    private static final Logger LOG = Logger.getLogger(CallerWatch.class);
    private static final long SWEEP_MILLIS = 200;

    private final Map<Statement, HttpServerResponse> running = new ConcurrentHashMap<>();
    private final Set<Statement> cancelled = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService sweeper;

    void start(@Observes StartupEvent event) {
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("stats-caller-watch").factory());
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    /** Watches {@code statement} while it runs for the current HTTP caller (none outside a request: nothing to watch). */
    Watch watch(Statement statement) {
        HttpServerResponse response = currentResponse();
        if (response == null) {
            return () -> { };
        }
        running.put(statement, response);
        return () -> {
            running.remove(statement);
            cancelled.remove(statement);
        };
    }

    /** Whether {@code statement} was cancelled here because its caller had gone. */
    boolean cancelledForGoneCaller(Statement statement) {
        return cancelled.contains(statement);
    }

    private void sweep() {
        running.forEach((statement, response) -> {
            if (response.closed() && running.remove(statement, response)) {
                cancelled.add(statement);
                try {
                    statement.cancel();
                    LOG.debugf("cancelled a query: its caller has gone");
                } catch (SQLException | RuntimeException e) {
                    LOG.warnf("could not cancel the query of a caller who has gone: %s", e.getMessage());
                }
            }
        });
    }

    private static HttpServerResponse currentResponse() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        RoutingContext rc = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        return rc == null ? null : rc.response();
    }

    /** Ends the watch of one statement. */
    @FunctionalInterface
    interface Watch extends AutoCloseable {
        @Override
        void close();
    }
}
