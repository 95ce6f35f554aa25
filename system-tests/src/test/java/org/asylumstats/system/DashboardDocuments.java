package org.asylumstats.system;

import org.asylumstats.testing.RepositoryFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The dashboard's GraphQL documents as the repository holds them: their text, and the persisted id stats-service registers each under. */
final class DashboardDocuments {

    private static final String FOLDER = "gateway/src/main/resources/META-INF/resources/dashboard/graphql/";

    private DashboardDocuments() {
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    /** "sha256:" and the lowercase hex of the file's exact bytes. */
    static String id(String name) {
        return sha256(bytes(name));
    }

    static String sha256(byte[] bytes) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(RepositoryFiles.resolve(FOLDER + name + ".graphql"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
