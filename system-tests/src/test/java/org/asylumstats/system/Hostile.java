package org.asylumstats.system;

import io.restassured.path.json.JsonPath;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/**
 * What a hostile caller sends, built byte by byte: raw HTTP over a socket (for what a well-behaved
 * client library refuses to send) and files made to hurt a parser.
 */
final class Hostile {

    private Hostile() {
    }

    /** The status line's code and the body of one raw HTTP/1.1 exchange; -1 when the server closed without answering. */
    record Answer(int status, String head, String body) {
        JsonPath json() {
            return new JsonPath(body);
        }
    }

    /** Sends {@code head} (request line and headers, CRLF-terminated, without the empty line) and {@code body} raw. */
    static Answer exchange(int port, String head, byte[] body, int readTimeoutMillis) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(readTimeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write((head + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException e) {
                    // the server may answer and close before it has read everything: read what it said
                }
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /**
     * Sends the request head one line every {@code pauseMillis} (a slowloris), then waits for the server's
     * reaction. Returns what the server answered, or status -1 when it simply closed the connection.
     */
    static Answer trickleHead(int port, String[] lines, long pauseMillis, int readTimeoutMillis) throws IOException, InterruptedException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(readTimeoutMillis);
            OutputStream out = socket.getOutputStream();
            for (String line : lines) {
                try {
                    out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(pauseMillis);
            }
            return read(socket.getInputStream());
        }
    }

    /** Sends a complete head announcing {@code length} bytes, then one byte every {@code pauseMillis}. */
    static Answer trickleBody(int port, String head, int length, long pauseMillis, int readTimeoutMillis) throws IOException, InterruptedException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(readTimeoutMillis);
            OutputStream out = socket.getOutputStream();
            out.write((head + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < length; i++) {
                try {
                    out.write('1');
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                if (in.available() > 0) {
                    break;
                }
                Thread.sleep(pauseMillis);
            }
            return read(in);
        }
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                received.write(buffer, 0, n);
                String text = received.toString(StandardCharsets.ISO_8859_1);
                if (complete(text)) {
                    break;
                }
            }
        } catch (SocketTimeoutException e) {
            if (received.size() == 0) {
                throw e;
            }
        } catch (IOException reset) {
            // a reset after (or instead of) an answer: report what arrived
        }
        String text = received.toString(StandardCharsets.UTF_8);
        if (!text.startsWith("HTTP/1.")) {
            return new Answer(-1, "", text);
        }
        int split = text.indexOf("\r\n\r\n");
        String head = split < 0 ? text : text.substring(0, split);
        String body = split < 0 ? "" : text.substring(split + 4);
        return new Answer(Integer.parseInt(text.substring(9, 12)), head, body);
    }

    /** A whole answer has arrived: its head, and as many body bytes as Content-Length says (or no Content-Length). */
    private static boolean complete(String text) {
        int split = text.indexOf("\r\n\r\n");
        if (split < 0) {
            return false;
        }
        String head = text.substring(0, split).toLowerCase();
        int at = head.indexOf("content-length:");
        if (at < 0) {
            return !head.contains("transfer-encoding: chunked") || text.endsWith("0\r\n\r\n");
        }
        int end = head.indexOf("\r\n", at);
        long length = Long.parseLong(head.substring(at + 15, end < 0 ? head.length() : end).strip());
        return text.length() - split - 4 >= length;
    }

    static byte[] gzip(byte[] raw) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                gzip.write(raw);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A gzip of about {@code compressedBytes}: {@code prefix}, then {@code filler} repeated, which
     * inflates about a thousandfold (an endless field after a header, or nothing but blank lines).
     */
    static byte[] bomb(String prefix, char filler, int compressedBytes) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
                gzip.write(prefix.getBytes(StandardCharsets.UTF_8));
                byte[] block = new byte[1 << 20];
                java.util.Arrays.fill(block, (byte) filler);
                while (out.size() < compressedBytes) {
                    gzip.write(block);
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
