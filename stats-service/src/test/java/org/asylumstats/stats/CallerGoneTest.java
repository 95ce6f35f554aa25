package org.asylumstats.stats;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.Postgres;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;

/**
 * A caller who leaves (a client, or the gateway after its response timeout) takes its SQL with it,
 * over POST and over GET:
 * the backend's query is cancelled, seen in pg_stat_activity. The statement timeout is raised here
 * so that only the cancellation can end the 120-second question within the wait.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "role", value = "reader"))
@QuarkusTestResource(KeycloakResource.class)
@TestProfile(CallerGoneTest.LongStatementTimeout.class)
class CallerGoneTest {

    public static class LongStatementTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("asylumstats.stats.statement-timeout", "300s");
        }
    }

    @TestHTTPResource("/graphql")
    URL graphql;

    @Test
    void theQueryOfACallerWhoHasGoneIsCancelled() throws Exception {
        String body = "{\"query\":\"{ slowQuestion(seconds: 120) }\"}";
        try (Socket socket = new Socket(graphql.getHost(), graphql.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /graphql HTTP/1.1\r\nHost: " + graphql.getHost() + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
            out.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> runningSlowQuestions() == 1);
        }
        // the caller has gone (socket closed): the backend stops long before its 120 seconds
        await().atMost(Duration.ofSeconds(30)).until(() -> runningSlowQuestions() == 0);
    }

    @Test
    void theQueryOfAGetCallerWhoHasGoneIsCancelled() throws Exception {
        String path = "/graphql?query=" + java.net.URLEncoder.encode("{ slowQuestion(seconds: 120) }", StandardCharsets.UTF_8);
        try (Socket socket = new Socket(graphql.getHost(), graphql.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + graphql.getHost() + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            await().atMost(Duration.ofSeconds(60)).until(() -> runningSlowQuestions() == 1);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> runningSlowQuestions() == 0);
    }

    private static int runningSlowQuestions() throws Exception {
        // as superuser: other roles' query texts are hidden from the owner
        try (Connection c = Postgres.shared().connectAsSuperuser();
             PreparedStatement st = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE state = 'active'"
                     + " AND query LIKE ? AND pid <> pg_backend_pid()")) {
            st.setString(1, "%" + SlowQuestionApi.MARK + "%");
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }
}
