package org.asylumstats.stats.graphql;

import org.asylumstats.testing.RepositoryFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry's sources: the dashboard's index is complete and copied into the jar, and the folder's bounds hold. */
class PersistedDocumentsTest {

    static final Path DASHBOARD = RepositoryFiles.resolve("gateway/src/main/resources/META-INF/resources/dashboard/graphql");

    @Test
    void theIndexNamesEveryDashboardDocumentAndTheBuildCopiedThem() throws IOException {
        Set<String> files;
        try (Stream<Path> listing = Files.list(DASHBOARD)) {
            files = listing.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".graphql")).collect(Collectors.toCollection(TreeSet::new));
        }
        assertEquals(files, new TreeSet<>(PersistedDocuments.dashboardIndex()),
                "gateway/.../dashboard/graphql/documents.txt must list every .graphql file of its folder (and no other)");
        for (String name : files) {
            try (InputStream copied = getClass().getClassLoader().getResourceAsStream(PersistedDocuments.DASHBOARD + name)) {
                assertArrayEquals(Files.readAllBytes(DASHBOARD.resolve(name)), copied.readAllBytes(), name);
            }
        }
    }

    @Test
    void aFolderDocumentIsRegisteredUnderTheSha256OfItsBytes(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("a.graphql"), "{ releases { id } }\n");
        Files.writeString(folder.resolve("notes.txt"), "not a document");
        Map<String, String> documents = PersistedDocuments.folderDocuments(folder);
        // sha256 of "{ releases { id } }\n", as sha256sum prints it
        assertEquals(Map.of("sha256:08e213bf5baea7e3c33db5a27a5486094190cff047ffd5bb7b0d6153c8835f96", "{ releases { id } }\n"), documents);
    }

    @Test
    void aFolderThatCannotBeReadWholeFailsTheStart(@TempDir Path folder) throws IOException {
        assertRefused(folder.resolve("missing"), "not a readable folder");
        Path file = Files.writeString(folder.resolve("plain-file"), "x");
        assertRefused(file, "not a readable folder");

        Path large = Files.createDirectory(folder.resolve("large"));
        Files.write(large.resolve("big.graphql"), new byte[PersistedDocuments.MAX_DOCUMENT_BYTES + 1]);
        assertRefused(large, "65537 bytes; at most 65536");
        Files.write(large.resolve("big.graphql"), "#".repeat(PersistedDocuments.MAX_DOCUMENT_BYTES).getBytes(StandardCharsets.UTF_8));
        assertEquals(1, PersistedDocuments.folderDocuments(large).size(), "exactly at the limit: registered");

        Path binary = Files.createDirectory(folder.resolve("binary"));
        Files.write(binary.resolve("x.graphql"), new byte[]{(byte) 0xff, (byte) 0xfe});
        assertRefused(binary, "is not UTF-8 text");

        Path many = Files.createDirectory(folder.resolve("many"));
        for (int i = 0; i < PersistedDocuments.MAX_FOLDER_FILES; i++) {
            Files.writeString(many.resolve(i + ".graphql"), "{ releases { id } } # " + i);
        }
        assertEquals(PersistedDocuments.MAX_FOLDER_FILES, PersistedDocuments.folderDocuments(many).size(), "exactly at the limit: registered");
        Files.writeString(many.resolve("one-more.graphql"), "{ countries { code } }");
        assertRefused(many, "more than 1000 .graphql files");
    }

    @Test
    void onlySha256AndSixtyFourLowercaseHexDigitsIsAnId() {
        assertTrue(PersistedDocuments.wellFormed("sha256:" + "0a".repeat(32)));
        for (String bad : new String[]{"sha256:" + "0A".repeat(32), "sha256:" + "0".repeat(63), "sha256:" + "0".repeat(65), "SHA256:" + "0".repeat(64), "0".repeat(64)}) {
            assertTrue(!PersistedDocuments.wellFormed(bad), bad);
        }
    }

    private static void assertRefused(Path folder, String message) {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> PersistedDocuments.folderDocuments(folder));
        assertTrue(refused.getMessage().contains(message), refused.getMessage());
    }
}
