package dev.kvbook.api.inspect;

import dev.kvbook.api.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A store's insides as data: its regions (files, levels, the keydir), their items (records,
 * pages, frames, tables) and the links between them, in the vocabulary of
 * {@linkplain dev.kvbook.api.inspect this package}. Each step's provider builds one from the files
 * ({@link dev.kvbook.api.StoreProvider#inspect(java.nio.file.Path, dev.kvbook.api.vfs.Vfs, Window)});
 * {@code kv inspect --format json} prints it, and the renderer draws it.
 *
 * <p>A model is a value: immutable, cheap to compare. It is also <b>paged</b>: it never holds
 * more than a {@link Window} of each region, so describing a million-key store costs about as
 * much as describing a small one (the builder still reads what it must to know the totals).
 *
 * @param version  {@link #VERSION}: the vocabulary the model uses
 * @param store    the provider's name, {@code step1} ... {@code step6}
 * @param path     the inspected file or directory
 * @param facts    what a person should know first (page size, height, key count ...), by name
 * @param regions  top to bottom, as a picture shows them
 * @param links    arrows between items
 * @param lookup   the path of a {@code get} when the window asked for one ({@link Window#lookupKey}), else null
 * @param problems damage found while reading: each a sentence; empty for a healthy store
 */
public record StoreModel(int version, String store, String path, Map<String, String> facts, List<Region> regions,
                         List<Link> links, Lookup lookup, List<String> problems) {

    /** The vocabulary's version; bumped when a kind changes meaning (new kinds do not bump it). */
    public static final int VERSION = 1;

    public StoreModel {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(path, "path");
        facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        regions = List.copyOf(regions);
        links = List.copyOf(links);
        problems = List.copyOf(problems);
    }

    /** Starts a model of {@code store} at {@code path}. */
    public static Builder builder(String store, String path) {
        return new Builder(store, path);
    }

    /** The region with this id, or null. */
    public Region region(String id) {
        return regions.stream().filter(r -> r.id().equals(id)).findFirst().orElse(null);
    }

    /** The item with this id in any region, or null. */
    public Item item(String id) {
        for (Region region : regions) {
            for (Item item : region.items()) {
                if (item.id().equals(id)) {
                    return item;
                }
            }
        }
        return null;
    }

    /** Every item shown, region by region. */
    public List<Item> items() {
        List<Item> all = new ArrayList<>();
        regions.forEach(r -> all.addAll(r.items()));
        return all;
    }

    /**
     * Where each key's live record or entry sits: key to item id, for the items whose state is
     * {@code live} and that hold exactly one key (records, keydir entries are left out: they are
     * slots, not places). Comparing this map before and after a command says which keys moved
     * (a merge or compaction rewrote them elsewhere).
     */
    public Map<String, String> locations() {
        Map<String, String> where = new LinkedHashMap<>();
        for (Item item : items()) {
            if ("live".equals(item.state()) && item.keys().size() == 1 && !item.kind().endsWith("-entry")) {
                where.put(item.keys().get(0), item.id());
            }
        }
        return where;
    }

    /** The model as ordered maps and lists of strings, numbers and booleans: what {@link #toJson} prints. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("version", version);
        map.put("store", store);
        map.put("path", path);
        map.put("facts", facts);
        List<Object> regionMaps = new ArrayList<>();
        for (Region region : regions) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", region.id());
            r.put("kind", region.kind());
            r.put("label", region.label());
            r.put("facts", region.facts());
            r.put("total", region.total());
            r.put("elided", region.elided());
            List<Object> itemMaps = new ArrayList<>();
            for (Item item : region.items()) {
                Map<String, Object> i = new LinkedHashMap<>();
                i.put("id", item.id());
                i.put("kind", item.kind());
                i.put("index", item.index());
                i.put("label", item.label());
                i.put("offset", item.offset());
                i.put("length", item.length());
                i.put("state", item.state());
                i.put("keys", item.keys());
                i.put("fields", item.fields());
                itemMaps.add(i);
            }
            r.put("items", itemMaps);
            regionMaps.add(r);
        }
        map.put("regions", regionMaps);
        List<Object> linkMaps = new ArrayList<>();
        for (Link link : links) {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("from", link.from());
            l.put("to", link.to());
            l.put("kind", link.kind());
            linkMaps.add(l);
        }
        map.put("links", linkMaps);
        if (lookup == null) {
            map.put("lookup", null);
        } else {
            Map<String, Object> l = new LinkedHashMap<>();
            l.put("key", lookup.key());
            l.put("found", lookup.found());
            l.put("touched", lookup.touched());
            l.put("note", lookup.note());
            map.put("lookup", l);
        }
        map.put("problems", problems);
        return map;
    }

    /** The model as indented JSON (RFC 8259): the shape {@code kv inspect --format json} prints under {@code "model"}. */
    public String toJson() {
        return Json.write(toMap());
    }

    /**
     * Collects a model while a step's inspector reads its files. Regions are added whole (the
     * inspector decides, with {@link Window#shows}, which items to keep); links and problems as found.
     */
    public static final class Builder {
        private final String store;
        private final String path;
        private final Map<String, String> facts = new LinkedHashMap<>();
        private final List<Region> regions = new ArrayList<>();
        private final List<Link> links = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private Lookup lookup;

        private Builder(String store, String path) {
            this.store = store;
            this.path = path;
        }

        public Builder fact(String name, Object value) {
            facts.put(name, String.valueOf(value));
            return this;
        }

        public Builder region(Region region) {
            regions.add(region);
            return this;
        }

        public Builder link(String from, String to, String kind) {
            links.add(new Link(from, to, kind));
            return this;
        }

        public Builder problem(String problem) {
            problems.add(problem);
            return this;
        }

        public Builder lookup(Lookup path) {
            this.lookup = path;
            return this;
        }

        public StoreModel build() {
            return new StoreModel(VERSION, store, path, facts, regions, links, lookup, problems);
        }
    }
}
