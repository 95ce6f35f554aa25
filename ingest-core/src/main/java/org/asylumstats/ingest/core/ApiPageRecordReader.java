package org.asylumstats.ingest.core;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Items of one UNHCR API page ({@code {"page":…,"maxPages":…,"items":[{…}]}}), streamed with
 * Jackson's parser: an item at a time, never the whole document.
 */
final class ApiPageRecordReader implements RecordReader {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(100_000).build())
            .build();

    private final JsonParser parser;
    private HeaderMapping header;
    private boolean inItems;
    private long index;

    ApiPageRecordReader(Reader reader) throws IOException {
        this.parser = FACTORY.createParser(reader);
        if (token() != JsonToken.START_OBJECT) {
            throw notAPage("the JSON is not an object with an items array");
        }
        while (!inItems) {
            JsonToken t = token();
            if (t == JsonToken.END_OBJECT || t == null) {
                throw notAPage("the JSON object has no items array");
            }
            String name = parser.currentName();
            JsonToken value = token();
            if ("items".equals(name)) {
                if (value != JsonToken.START_ARRAY) {
                    throw notAPage("items is not an array");
                }
                inItems = true;
            } else {
                parser.skipChildren();
            }
        }
    }

    @Override
    public String format() {
        return "api-json";
    }

    @Override
    public Set<String> fields() {
        Set<String> fields = new LinkedHashSet<>();
        if (header != null) {
            for (String f : header.fields()) {
                if (f != null) {
                    fields.add(f);
                }
            }
        }
        return fields;
    }

    @Override
    public Set<String> unknownFields() {
        return header == null ? Set.of() : header.unknown();
    }

    HeaderMapping header() {
        return header;
    }

    @Override
    public SourceRecord next() throws IOException {
        JsonToken t = token();
        if (t == JsonToken.END_ARRAY) {
            return null;
        }
        long line = parser.currentLocation().getLineNr();
        if (t != JsonToken.START_OBJECT) {
            throw new UnreadableInputException("not-an-api-page", line, "item " + (index + 1) + " is not an object");
        }
        index++;
        Map<String, String> raw = new HashMap<>();
        while ((t = token()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = token();
            raw.put(name, switch (value) {
                case VALUE_NULL -> "";
                case START_OBJECT, START_ARRAY -> {
                    parser.skipChildren();
                    yield "<nested>";
                }
                default -> parser.getText();
            });
        }
        if (header == null) {
            header = HeaderMapping.of(List.copyOf(raw.keySet()));
        }
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String field = mapped(e.getKey());
            if (field != null) {
                values.put(field, e.getValue());
            }
        }
        return new SourceRecord(line, values, values.size(), values.size());
    }

    private String mapped(String name) {
        String n = HeaderMapping.normal(name);
        for (String f : header.fields()) {
            if (f != null && f.equals(n)) {
                return f;
            }
        }
        return null;
    }

    private JsonToken token() throws IOException {
        try {
            return parser.nextToken();
        } catch (CharacterCodingException e) {
            long line = parser.currentLocation().getLineNr();
            throw new UnreadableInputException("invalid-encoding", line, "the file is not valid UTF-8 near line " + line);
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new UnreadableInputException("malformed-json", line, "the JSON cannot be parsed: " + e.getOriginalMessage());
        }
    }

    private UnreadableInputException notAPage(String message) {
        return new UnreadableInputException("not-an-api-page", parser.currentLocation().getLineNr(),
                message + " (expected a UNHCR API page: {\"page\":…,\"maxPages\":…,\"items\":[…]})");
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
