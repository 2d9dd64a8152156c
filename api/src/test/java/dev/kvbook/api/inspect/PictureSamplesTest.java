package dev.kvbook.api.inspect;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Writes each hand-built model's picture under target/pictures, to look at (and checks the PNG is not blank). */
class PictureSamplesTest {

    @Test
    void everyStepsShapeIsDrawnAsSvgAndPng() throws Exception {
        Path dir = Path.of("target", "pictures");
        Files.createDirectories(dir);
        for (StoreModel model : Models.all()) {
            Files.writeString(dir.resolve(model.store() + ".svg"), Picture.svg(model));
            byte[] png = Picture.png(model, Highlight.pathOf(model), 1);
            assertThat(png).startsWith(0x89, 'P', 'N', 'G');
            Files.write(dir.resolve(model.store() + ".png"), png);
        }
    }
}
