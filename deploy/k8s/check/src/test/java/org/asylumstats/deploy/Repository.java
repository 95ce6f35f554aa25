package org.asylumstats.deploy;

import java.nio.file.Path;

/** Paths in this repository (the build passes its root). */
final class Repository {

    static final Path ROOT = Path.of(System.getProperty("asylumstats.repo.root", "../../.."));
    static final Path K8S = ROOT.resolve("deploy/k8s");
    static final Path CRDS = K8S.resolve("crds");

    private Repository() {
    }
}
