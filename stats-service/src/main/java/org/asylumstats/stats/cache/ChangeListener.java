package org.asylumstats.stats.cache;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.asylumstats.ingest.core.Publications;
import org.asylumstats.stats.catalog.Catalog;
import org.asylumstats.stats.config.StatsConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Listens for publications and retractions ({@code LISTEN stats_changed}) on a connection of its
 * own and drops every cached answer when one is heard. Each replica listens for itself. A lost
 * connection drops the cache too, since notifications may have been missed while it was down.
 */
@ApplicationScoped
public class ChangeListener {

    private static final Logger LOG = Logger.getLogger(ChangeListener.class);

    @Inject
    AnswerCache answers;
    @Inject
    Catalog catalog;
    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;
    @Inject
    StatsConfig config;
    @ConfigProperty(name = "quarkus.datasource.username")
    String user;
    @ConfigProperty(name = "quarkus.datasource.password")
    String password;

    private volatile boolean running = true;
    private volatile boolean listening;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        thread = Thread.ofPlatform().daemon().name("stats-change-listener").start(this::run);
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    /** Whether the listening connection is up (readiness: a replica that cannot hear changes may serve stale answers). */
    public boolean listening() {
        return listening;
    }

    private void run() {
        while (running) {
            try (Connection connection = DriverManager.getConnection(config.changesJdbcUrl().orElse(url), user, password);
                 Statement st = connection.createStatement()) {
                st.execute("LISTEN " + Publications.CHANNEL);
                listening = true;
                dropAll("listening (again)");
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(10_000);
                    if (notifications != null && notifications.length > 0) {
                        awaitReplica(connection);
                        dropAll("release " + notifications[notifications.length - 1].getParameter() + " changed");
                    }
                    try (Statement ping = connection.createStatement()) {
                        ping.execute("SELECT 1");
                    }
                }
            } catch (Exception e) {
                listening = false;
                if (running) {
                    LOG.warnf("change listener lost its connection (%s); answers dropped, retrying", e.getMessage());
                    dropAll("connection lost");
                    sleep();
                }
            }
        }
    }

    /**
     * With queries on a replica, the cache is dropped only once the replica has replayed the primary's WAL
     * up to the notification; dropped earlier, it would fill again with the replica's old figures.
     */
    private void awaitReplica(Connection primary) throws Exception {
        if (config.changesJdbcUrl().isEmpty() || config.changesJdbcUrl().get().equals(url)) {
            return;
        }
        String lsn;
        try (Statement st = primary.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            lsn = rs.getString(1);
        }
        try (Connection replica = DriverManager.getConnection(url, user, password);
             PreparedStatement caughtUp = replica.prepareStatement(
                     "SELECT NOT pg_is_in_recovery() OR pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
            caughtUp.setString(1, lsn);
            for (int attempt = 0; attempt < 600 && running; attempt++) {
                try (ResultSet rs = caughtUp.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return;
                    }
                }
                Thread.sleep(100);
            }
            LOG.warnf("the replica has not replayed %s after 60 s; dropping the cached answers anyway", lsn);
        }
    }

    private void dropAll(String why) {
        catalog.releasesChanged();
        answers.dropAll();
        LOG.debugf("cached answers dropped: %s", why);
    }

    private void sleep() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
