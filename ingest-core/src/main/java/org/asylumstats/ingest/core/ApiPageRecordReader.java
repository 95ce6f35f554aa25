package org.asylumstats.ingest.core;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Items of one UNHCR API page ({@code {"page":…,"maxPages":…,"items":[{…}]}}), streamed with
 * Jackson's parser: an item at a time, never the whole document. Jackson's read constraints bound
 * nesting and the length of strings, numbers and keys; the number of keys of an item is bounded
 * here, and each key costs constant time.
 */
final class ApiPageRecordReader implements RecordReader {

    private final JsonParser parser;
    private final InputLimits limits;
    private HeaderMapping header;
    private boolean inItems;
    private long index;

    ApiPageRecordReader(Reader reader, InputLimits limits) throws IOException {
        this.limits = limits;
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxJsonDepth())
                        .maxStringLength(limits.maxFieldChars())
                        .maxNameLength(limits.maxFieldChars())
                        .maxNumberLength(Math.min(limits.maxFieldChars(), StreamReadConstraints.DEFAULT_MAX_NUM_LEN))
                        .build())
                // Jackson's messages quote the offending token: no more of it than a report may
                .errorReportConfiguration(ErrorReportConfiguration.builder()
                        .maxErrorTokenLength(Excerpt.MAX_CHARS).maxRawContentLength(0).build())
                .build();
        this.parser = factory.createParser(new NulGuard(reader));
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
                guarded(parser::skipChildren);
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
        List<String> names = header == null ? new ArrayList<>() : null;
        while ((t = token()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (raw.size() >= limits.maxColumns()) {
                throw new UnreadableInputException("too-many-columns", line, Excerpt.of(name),
                        "item " + index + " has more than " + limits.maxColumns() + " keys");
            }
            JsonToken value = token();
            String text = switch (value) {
                case VALUE_NULL -> "";
                case START_OBJECT, START_ARRAY -> {
                    guarded(parser::skipChildren);
                    yield "<nested>";
                }
                default -> guarded(parser::getText);
            };
            if (text.indexOf('\0') >= 0) {
                throw new UnreadableInputException("nul-byte", parser.currentLocation().getLineNr(), Excerpt.of(name),
                        "the value of " + Excerpt.of(name) + " in item " + index + " holds a NUL character");
            }
            if (names != null) {
                names.add(name);
            }
            raw.put(name, text);
        }
        if (header == null) {
            header = HeaderMapping.of(names);
        }
        String[] values = new String[header.fields().length];
        int count = 0;
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String field = header.fieldNamed(e.getKey());
            if (field != null) {
                int column = header.column(field);
                if (values[column] == null) {
                    count++;
                }
                values[column] = e.getValue();
            }
        }
        return new SourceRecord(line, values, count, count);
    }

    private JsonToken token() throws IOException {
        return guarded(parser::nextToken);
    }

    @FunctionalInterface
    private interface ParserStep<T> {
        T run() throws IOException;
    }

    /** Every parser call, with Jackson's failures turned into report codes (its own messages name Java classes). */
    private <T> T guarded(ParserStep<T> step) throws IOException {
        try {
            return step.run();
        } catch (CharacterCodingException e) {
            long line = parser.currentLocation().getLineNr();
            throw new UnreadableInputException("invalid-encoding", line, "the file is not valid UTF-8 near line " + line);
        } catch (StreamConstraintsException e) {
            long line = parser.currentLocation().getLineNr();
            String key = Excerpt.of(parser.currentName());
            if (parser.getParsingContext().getNestingDepth() >= limits.maxJsonDepth()) {
                throw new UnreadableInputException("json-too-deep", line, key,
                        "the JSON nests objects or arrays deeper than " + limits.maxJsonDepth() + " levels near line " + line);
            }
            throw new UnreadableInputException("field-too-long", line, key,
                    "a JSON string, number or key is longer than " + limits.maxFieldChars() + " characters near line " + line);
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            String reason = String.valueOf(e.getOriginalMessage()).replaceAll("\\s*\\(start marker at \\[Source:.*", "")
                    .replaceAll("\\[Source:[^\\]]*\\]", "");
            throw new UnreadableInputException("malformed-json", line, "the JSON cannot be parsed: "
                    + (reason.length() > 160 ? reason.substring(0, 160) + "…" : reason));
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
