package org.asylumstats.stats.graphql;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.asylumstats.stats.config.StatsConfig;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The documents callers may run by id ({@code documentId=sha256:<hex of the document's UTF-8 bytes>}):
 * the dashboard's own, copied into the jar at build time from the gateway's sources, and every
 * {@code .graphql} file of the configured folder. Read once at start; a folder that cannot be read
 * whole fails the start, so a deployment never runs with half its documents.
 */
@ApplicationScoped
public class PersistedDocuments {

    private static final Logger LOG = Logger.getLogger(PersistedDocuments.class);

    /** Where the build puts the dashboard's documents and their index (a jar, or a native image, cannot list a folder). */
    static final String DASHBOARD = "persisted-documents/dashboard/";
    static final String INDEX = "documents.txt";
    /** Files the configured folder may hold, and bytes one document may have (the dashboard's are about 1 KiB). */
    static final int MAX_FOLDER_FILES = 1_000;
    static final int MAX_DOCUMENT_BYTES = 64 * 1024;

    private static final Pattern ID = Pattern.compile("sha256:[0-9a-f]{64}");

    @Inject
    StatsConfig config;

    private volatile Map<String, String> byId = Map.of();

    void load(@Observes StartupEvent event) {
        Map<String, String> documents = new LinkedHashMap<>();
        for (String name : dashboardIndex()) {
            register(documents, "the dashboard's " + name, classpathBytes(DASHBOARD + name));
        }
        int dashboard = documents.size();
        config.persistedDocuments().folder().ifPresent(folder -> documents.putAll(folderDocuments(folder)));
        byId = Map.copyOf(documents);
        LOG.infof("%d persisted documents: %d of the dashboard, %d from the configured folder", documents.size(), dashboard, documents.size() - dashboard);
    }

    /** Whether {@code id} has the form of a document id: {@code sha256:} and 64 lowercase hex digits. */
    public static boolean wellFormed(String id) {
        return ID.matcher(id).matches();
    }

    /** The document's text, if one is registered under {@code id}. */
    public Optional<String> text(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /** The id of a document with these bytes. */
    public static String idOf(byte[] document) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(document));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void register(Map<String, String> documents, String source, byte[] bytes) {
        if (bytes.length > MAX_DOCUMENT_BYTES) {
            throw new IllegalStateException("persisted document " + source + " has " + bytes.length + " bytes; at most " + MAX_DOCUMENT_BYTES + " are accepted");
        }
        try {
            String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            documents.put(idOf(bytes), text);
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("persisted document " + source + " is not UTF-8 text");
        }
    }

    /** The file names the build's index lists ({@code #} starts a comment line). */
    static List<String> dashboardIndex() {
        String index = new String(classpathBytes(DASHBOARD + INDEX), StandardCharsets.UTF_8);
        return index.lines().map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    private static byte[] classpathBytes(String resource) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not in the application: the build copies the dashboard's"
                        + " documents from gateway/src/main/resources/META-INF/resources/dashboard/graphql");
            }
            return in.readNBytes(MAX_DOCUMENT_BYTES + 1);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /** The documents of the configured folder by id; a folder that cannot be read whole, or holds too much, is an error. */
    static Map<String, String> folderDocuments(Path folder) {
        Map<String, String> documents = new LinkedHashMap<>();
        folderFiles(folder).forEach(file -> register(documents, file.toString(), bytes(file)));
        return documents;
    }

    private static List<Path> folderFiles(Path folder) {
        String setting = "asylumstats.stats.persisted-documents.folder=" + folder;
        if (!Files.isDirectory(folder) || !Files.isReadable(folder)) {
            throw new IllegalStateException(setting + ": not a readable folder");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path entry : (Iterable<Path>) entries.sorted()::iterator) {
                if (entry.getFileName().toString().endsWith(".graphql") && Files.isRegularFile(entry)) {
                    if (files.size() == MAX_FOLDER_FILES) {
                        throw new IllegalStateException(setting + ": more than " + MAX_FOLDER_FILES + " .graphql files");
                    }
                    files.add(entry);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(setting + ": cannot be listed (" + e.getMessage() + ")", e);
        }
        return files;
    }

    private static byte[] bytes(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(MAX_DOCUMENT_BYTES + 1); // one byte more than allowed is enough to refuse it
        } catch (IOException e) {
            throw new IllegalStateException("persisted document " + file + " cannot be read (" + e.getMessage() + ")", e);
        }
    }
}
