package org.asylumstats.ingest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.asylumstats.testing.KeycloakResource;
import org.asylumstats.testing.PostgresResource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients on raw sockets: one that trickles its body, one that stops sending, and a keep-alive
 * client whose upload is answered before its body was read, then sends a second request on the
 * same connection.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(KeycloakResource.class)
class SlowAndEarlyClientsTest {

    @TestHTTPResource
    URL base;

    @Test
    void aBodyTrickledByteByByteIsCutAtTheUploadDeadline() throws IOException {
        long release = IngestApi.createRelease("analyst", "Trickle", LocalDate.of(1990, 1, 1), List.of());
        try (Socket socket = connect()) {
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write(uploadHead(release, "population", "analyst", 1_000_000));
            out.flush();
            boolean closed = false;
            // one byte a second: never a gap long enough for the read timeout, only the deadline (test: 10 s) ends it
            for (int second = 0; second < 90 && !closed; second++) {
                try {
                    out.write('x');
                    out.flush();
                    closed = socket.getInputStream().read() < 0;
                } catch (SocketTimeoutException stillOpen) {
                    // nothing from the server yet
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertTrue(closed, "the server closed the trickling connection");
        }
        IngestApi.as("analyst").get("/api/releases/" + release).then().statusCode(200)
                .body("files.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void aBodyThatStopsArrivingIsCutAfterTheReadTimeout() throws IOException {
        long release = IngestApi.createRelease("analyst", "Stalled", LocalDate.of(1990, 1, 1), List.of());
        String answer;
        try (Socket socket = connect()) {
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            out.write(uploadHead(release, "population", "analyst", 1_000_000));
            out.write(MalformedInputTest.POPULATION.getBytes(StandardCharsets.UTF_8));
            out.flush();
            // then silence: the read timeout (5 s) ends the exchange; without it the socket read would time out here
            try {
                answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("the server still holds the stalled upload after 60 s", e);
            } catch (IOException reset) {
                answer = "";
            }
        }
        assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408"), answer);
        IngestApi.as("analyst").get("/api/releases/" + release).then().statusCode(200)
                .body("files.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void anUploadRefusedBeforeItsBodyWasReadLeavesTheConnectionUsable() throws Exception {
        long release = IngestApi.createRelease("analyst", "Early answers", LocalDate.of(1990, 1, 1), List.of());
        byte[] body = (MalformedInputTest.POPULATION + MalformedInputTest.POP_ROW.repeat(30_000)).getBytes(StandardCharsets.UTF_8);
        try (Socket socket = connect()) {
            socket.setSoTimeout(60_000);
            // refused before the body is read: not the owner (403), an unknown dataset (404); then a 422 on line 2
            // after the whole body, and a second request on the same connection after each
            for (Object[] attempt : List.of(new Object[]{"analyst2", "population", 403}, new Object[]{"analyst", "refugee-camps", 404},
                    new Object[]{"analyst", "population", 422})) {
                byte[] head = uploadHead(release, (String) attempt[1], (String) attempt[0], body.length);
                CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                    try {
                        socket.getOutputStream().write(head);
                        socket.getOutputStream().write(body);
                        socket.getOutputStream().flush();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                Answer refused = Answer.read(socket.getInputStream());
                assertEquals(attempt[2], refused.status(), refused.text());
                assertTrue(!refused.head().toLowerCase().contains("connection: close"), refused.head());
                sending.join();
                socket.getOutputStream().write(("GET /api/releases/" + release + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                        + IngestApi.token("analyst") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                Answer next = Answer.read(socket.getInputStream());
                assertEquals(200, next.status(), "second request after " + attempt[2] + ": " + next.text());
                assertTrue(next.text().contains("\"title\":\"Early answers\""), next.text());
            }
        }
    }

    private Socket connect() throws IOException {
        return new Socket(base.getHost(), base.getPort());
    }

    private static byte[] uploadHead(long release, String dataset, String user, int length) {
        return ("PUT /api/releases/" + release + "/datasets/" + dataset + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer " + IngestApi.token(user) + "\r\nContent-Type: text/csv\r\nContent-Length: " + length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** One HTTP/1.1 response read off the socket: Content-Length or chunked. */
    record Answer(int status, String head, String text) {

        static Answer read(InputStream in) throws IOException {
            String head = line(in);
            int status = Integer.parseInt(head.split(" ")[1]);
            StringBuilder headers = new StringBuilder(head).append('\n');
            int length = -1;
            boolean chunked = false;
            for (String h; !(h = line(in)).isEmpty(); ) {
                headers.append(h).append('\n');
                String lower = h.toLowerCase();
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(h.substring(15).strip());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (int size; (size = Integer.parseInt(line(in).strip(), 16)) > 0; ) {
                    body.write(in.readNBytes(size));
                    line(in);
                }
                line(in);
            } else if (length > 0) {
                body.write(in.readNBytes(length));
            }
            return new Answer(status, headers.toString(), body.toString(StandardCharsets.UTF_8));
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("the connection closed mid-answer after: " + line);
                }
                if (c != '\r') {
                    line.append((char) c);
                }
            }
            return line.toString();
        }
    }
}
