package dev.kvbook.api.inspect;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.awt.image.BufferedImage;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.kvbook.api.inspect.Models.item;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The SVG keeps the class-name contract of {@link Picture}: parsed as XML, it has one element per
 * item, region and drawable link of the model, and the highlight's classes sit on the right ids.
 */
class PictureTest {

    @Test
    void everyStepsPictureIsWellFormedAndCountsMatchTheModel() throws Exception {
        for (StoreModel model : List.of(Models.step1(), Models.step2(64), Models.step2(100), Models.step3(),
                Models.step4(), Models.step5(), Models.step6())) {
            Document svg = parse(Picture.svg(model, Highlight.none()));
            String store = model.store();

            Map<String, Integer> expected = new HashMap<>();
            model.items().forEach(i -> expected.merge(i.kind(), 1, Integer::sum));
            Map<String, Integer> drawn = new HashMap<>();
            for (Element g : elements(svg, "g", "item")) {
                String kind = Arrays.stream(g.getAttribute("class").split(" ")).filter(c -> c.startsWith("kind-"))
                        .findFirst().orElseThrow().substring("kind-".length());
                drawn.merge(kind, 1, Integer::sum);
            }
            assertThat(drawn).as(store + ": g.item per kind").isEqualTo(expected);

            assertThat(elements(svg, "g", "region")).extracting(g -> g.getAttribute("data-id")).as(store + ": regions")
                    .containsExactlyElementsOf(model.regions().stream().map(Region::id).toList());
            long elided = model.regions().stream().filter(r -> r.elided() > 0).count();
            assertThat(elements(svg, "text", "elided")).as(store + ": text.elided").hasSize((int) elided);
            assertThat(elements(svg, "path", "link")).extracting(p -> p.getAttribute("data-from") + ">" + p.getAttribute("data-to"))
                    .as(store + ": one path.link per link").containsExactlyElementsOf(
                            model.links().stream().map(l -> l.from() + ">" + l.to()).toList());
        }
    }

    @Test
    void itemsCarryKindStateAndIdAndTombstonesAndDeadRecordsAreMarked() throws Exception {
        Document svg = parse(Picture.svg(Models.step3(), Highlight.none()));
        assertThat(classesOf(svg, "seg:1@0")).contains("item", "kind-record", "state-dead");
        assertThat(classesOf(svg, "seg:1@60")).contains("kind-tombstone", "state-dead");
        assertThat(classesOf(svg, "key:61")).contains("kind-keydir-entry", "state-live");
        Element keydir = elements(svg, "g", "region").stream().filter(g -> g.getAttribute("data-id").equals("keydir"))
                .findFirst().orElseThrow();
        assertThat(keydir.getAttribute("class")).isEqualTo("region kind-keydir");
        assertThat(elements(keydir, "g", "item")).hasSize(3);
    }

    @Test
    void aLinkToAnItemOutsideTheWindowIsLeftOut() throws Exception {
        StoreModel model = StoreModel.builder("step4", "p")
                .region(new Region("level:0", "tree-level", "root", Map.of(), 1, List.of(item("page:2", "branch", 0, "2", 0, 4096, "live", "m"))))
                .region(new Region("level:1", "tree-level", "leaves", Map.of(), 70, List.of(item("page:3", "leaf", 0, "3", 0, 4096, "live", "a"))))
                .link("page:2", "page:3", "child").link("page:2", "page:99", "child").link("page:98", "page:3", "next")
                .build();
        Document svg = parse(Picture.svg(model, Highlight.none()));
        assertThat(elements(svg, "path", "link")).extracting(p -> p.getAttribute("data-to")).containsExactly("page:3");
        assertThat(elements(svg, "text", "elided")).singleElement().extracting(Element::getTextContent)
                .asString().contains("69 more");
    }

    @Test
    void highlightClassesLandOnTheirIdsAndThePathsLinks() throws Exception {
        StoreModel model = Models.step4();
        Highlight highlight = new Highlight(Set.of("page:5"), Set.of("page:6"), Set.of("page:10", "page:77"), model.lookup().touched());
        Document svg = parse(Picture.svg(model, highlight));

        assertThat(classesOf(svg, "page:5")).contains("added").doesNotContain("moved", "freed", "on-path");
        assertThat(classesOf(svg, "page:6")).contains("moved").doesNotContain("added", "freed");
        assertThat(classesOf(svg, "page:10")).contains("freed", "kind-free", "state-free");
        for (String id : List.of("page:2", "page:4", "page:7")) {
            assertThat(classesOf(svg, id)).as(id).contains("on-path");
        }
        assertThat(classesOf(svg, "page:3")).doesNotContain("on-path");
        List<String> onPath = new ArrayList<>();
        for (Element p : elements(svg, "path", "on-path")) {
            onPath.add(p.getAttribute("data-from") + ">" + p.getAttribute("data-to"));
        }
        assertThat(onPath).containsExactlyInAnyOrder("page:2>page:4", "page:4>page:7");
        assertThat(Picture.svg(model, highlight)).contains("freed, no longer drawn: page:77");
        assertThat(elements(svg, "g", "added")).hasSize(1);
    }

    @Test
    void keysWithMarkupCharactersAreEscaped() throws Exception {
        String key = "<a href=\"x\">&'\u0001";
        StoreModel model = StoreModel.builder("step<2>", "p").fact("note", "a & b")
                .region(new Region("r\"1", "file", "f<1>", Map.of(), 1, List.of(item("log@0 \"<&>", "record", 0, key, 0, 10, "live", key))))
                .problem("bad <checksum> & \"more\"")
                .build();
        String text = Picture.svg(model, Highlight.none());
        Document svg = parse(text);
        Element g = elements(svg, "g", "item").get(0);
        assertThat(g.getAttribute("data-id")).isEqualTo("log@0 \"<&>");
        assertThat(elements(svg, "g", "region").get(0).getAttribute("data-id")).isEqualTo("r\"1");
        assertThat(g.getTextContent()).contains("<a href=\"x\">&'\uFFFD");
        assertThat(svg.getDocumentElement().getTextContent()).contains("bad <checksum> & \"more\"");
        assertThat(text).doesNotContain("<a href");
    }

    @Test
    void thePngIsTheSameDrawingAsTheSvg() throws Exception {
        StoreModel model = Models.step4();
        Highlight highlight = new Highlight(Set.of("page:5"), Set.of(), Set.of(), List.of());
        Document svg = parse(Picture.svg(model, highlight));
        BufferedImage image = Picture.image(model, highlight);
        assertThat(image.getWidth()).isEqualTo(Integer.parseInt(svg.getDocumentElement().getAttribute("width")));
        assertThat(image.getHeight()).isEqualTo(Integer.parseInt(svg.getDocumentElement().getAttribute("height")));
        // Inside the added leaf's box, clear of its text and its outline, the PNG shows the added colour.
        Element rect = (Element) itemById(svg, "page:5").getElementsByTagName("rect").item(0);
        int x = (int) (Double.parseDouble(rect.getAttribute("x")) + Double.parseDouble(rect.getAttribute("width")) - 4);
        int y = (int) (Double.parseDouble(rect.getAttribute("y")) + Double.parseDouble(rect.getAttribute("height")) - 4);
        int added = Integer.parseInt(Palette.resolve(Palette.ITEMS, Set.of("item", "kind-leaf", "added")).fill().substring(1), 16);
        assertThat(image.getRGB(x, y) & 0xffffff).isEqualTo(added);
        Element plain = (Element) itemById(svg, "page:6").getElementsByTagName("rect").item(0);
        int px = (int) (Double.parseDouble(plain.getAttribute("x")) + Double.parseDouble(plain.getAttribute("width")) - 4);
        assertThat(image.getRGB(px, y) & 0xffffff).isNotEqualTo(added);
        assertThat(Picture.image(model, highlight, 2).getWidth()).isEqualTo(2 * image.getWidth());
        assertThatThrownBy(() -> Picture.image(model, highlight, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theSameModelGivesTheSameSvg() {
        assertThat(Picture.svg(Models.step5())).isEqualTo(Picture.svg(Models.step5()));
    }

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(new InputSource(new StringReader(svg)));
    }

    /** The elements named {@code tag} whose class list holds {@code cls}. */
    static List<Element> elements(Document doc, String tag, String cls) {
        return elements(doc.getDocumentElement(), tag, cls);
    }

    static List<Element> elements(Element root, String tag, String cls) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = root.getElementsByTagName(tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            if (Arrays.asList(e.getAttribute("class").split(" ")).contains(cls)) {
                found.add(e);
            }
        }
        return found;
    }

    static Element itemById(Document svg, String id) {
        List<Element> items = elements(svg, "g", "item").stream().filter(g -> g.getAttribute("data-id").equals(id)).toList();
        assertThat(items).as("g.item[data-id=" + id + "]").hasSize(1);
        return items.get(0);
    }

    static List<String> classesOf(Document svg, String id) {
        return Arrays.asList(itemById(svg, id).getAttribute("class").split(" "));
    }
}
