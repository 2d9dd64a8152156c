package dev.kvbook.notebooks;

import dev.kvbook.api.JsonReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Jupyter notebook's code cells, in order, read from its {@code .ipynb} JSON.
 *
 * @param file  the notebook
 * @param cells its code cells; Markdown cells are left out
 */
record Notebook(Path file, List<CodeCell> cells) {

    /**
     * One code cell.
     *
     * @param number   its position among all the notebook's cells, from 1, as Jupyter shows
     *                 them top to bottom (Markdown cells count)
     * @param source   its text
     */
    record CodeCell(int number, String source) {
    }

    /** Reads {@code file}; a notebook that is not JSON in nbformat 4 is reported, not skipped. */
    static Notebook read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<?, ?> root = (Map<?, ?>) JsonReader.parse(text);
        Object format = root.get("nbformat");
        if (!(format instanceof Number n) || n.intValue() != 4) {
            throw new IllegalArgumentException(file + ": nbformat 4 expected, found " + format);
        }
        List<CodeCell> cells = new ArrayList<>();
        List<?> all = (List<?>) root.get("cells");
        for (int i = 0; i < all.size(); i++) {
            Map<?, ?> cell = (Map<?, ?>) all.get(i);
            if ("code".equals(cell.get("cell_type"))) {
                cells.add(new CodeCell(i + 1, sourceOf(cell.get("source"))));
            }
        }
        return new Notebook(file, List.copyOf(cells));
    }

    /** A cell's source is one string or a list of lines that each keep their "\n". */
    private static String sourceOf(Object source) {
        if (source instanceof String s) {
            return s;
        }
        StringBuilder joined = new StringBuilder();
        for (Object line : (List<?>) source) {
            joined.append((String) line);
        }
        return joined.toString();
    }
}
