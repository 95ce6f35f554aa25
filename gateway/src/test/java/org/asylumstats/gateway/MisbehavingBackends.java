package org.asylumstats.gateway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Back-ends that behave as real ones sometimes do, to pin how the gateway reuses connections:
 * <ul>
 * <li>ingest: a Vert.x server that refuses {@code /early} uploads as soon as their head arrives,
 * leaving the body unread (as a Quarkus endpoint that fails before it reads its input stream);
 * {@code /silent} is never answered; other uploads are read whole and answered with their size;</li>
 * <li>stats: a server whose keep-alive is shorter than the gateway's: it answers one request per
 * connection and closes the connection, without a word, when a second request arrives on it.</li>
 * </ul>
 */
public class MisbehavingBackends implements QuarkusTestResourceLifecycleManager {

    /** Connections the stats stand-in dropped under a request. */
    static final AtomicInteger DROPPED = new AtomicInteger();
    private Vertx vertx;
    private ServerSocket stats;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        try {
            HttpServer ingest = vertx.createHttpServer().requestHandler(request -> {
                if (request.path().endsWith("/silent")) {
                    return;
                }
                if (request.path().endsWith("/early")) {
                    request.pause();
                    request.response().setStatusCode(422).putHeader("Content-Type", "application/json").end("{\"refused\":\"early\"}");
                } else {
                    request.body().onSuccess(body -> request.response().putHeader("Content-Type", "application/json")
                            .end("{\"bytes\":" + body.length() + "}"));
                }
            }).listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            stats = new ServerSocket(0);
            Thread acceptor = new Thread(this::acceptStats, "stats-stand-in");
            acceptor.setDaemon(true);
            acceptor.start();
            return Map.of(
                    "asylumstats.gateway.ingest-url", "http://localhost:" + ingest.actualPort(),
                    "asylumstats.gateway.stats-url", "http://localhost:" + stats.getLocalPort());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void acceptStats() {
        while (!stats.isClosed()) {
            try {
                Socket connection = stats.accept();
                Thread.startVirtualThread(() -> serveOnce(connection));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Answers the first request; closes the connection when the next one comes. */
    private static void serveOnce(Socket connection) {
        try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
            long length = readHead(in);
            if (length < 0) {
                return;
            }
            in.readNBytes((int) length);
            byte[] body = ("{\"bytes\":" + length + "}").getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            if (readHead(in) >= 0) {
                DROPPED.incrementAndGet();
            }
        } catch (IOException e) {
            // the gateway closed it first
        }
    }

    /** Reads a request head; answers its Content-Length (0 without), or -1 at the end of the stream. */
    private static long readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return -1;
            }
            head.append((char) b);
        }
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                return Long.parseLong(line.substring("content-length:".length()).strip());
            }
        }
        return 0;
    }

    @Override
    public void stop() {
        try {
            stats.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        vertx.close();
    }
}
