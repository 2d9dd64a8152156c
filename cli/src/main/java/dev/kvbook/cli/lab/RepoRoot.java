package dev.kvbook.cli.lab;

import dev.kvbook.cli.UsageException;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the kvbook checkout the labs are made from: the first directory holding
 * {@code labs/labs.tsv} and a {@code pom.xml}, looking up from the current directory, then up
 * from where {@code kv} itself runs ({@code cli/target/kvbook-cli.jar} of a checkout).
 */
final class RepoRoot {

    private RepoRoot() {
    }

    static Path find() {
        Path fromHere = search(Path.of("").toAbsolutePath());
        if (fromHere != null) {
            return fromHere;
        }
        try {
            Path code = Path.of(RepoRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path fromCode = search(code.toAbsolutePath());
            if (fromCode != null) {
                return fromCode;
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // no code location to search from: fall through to the error below
        }
        throw new UsageException("cannot find the kvbook checkout (a directory with labs/labs.tsv); "
                + "run kv from inside it, or use its ./kv script");
    }

    private static Path search(Path start) {
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(LabCatalog.TABLE)) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        return null;
    }
}
