package io.smimedelivery.policy.directory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

/**
 * Reads import rows one at a time from a JSON array or a CSV file with a header line, so the body
 * itself is never held in memory. A row that cannot be mapped is returned as an error with its line,
 * and reading goes on. A body that is no longer readable ends the rows with a fatal error.
 */
final class RowReader<T> implements Iterator<RowReader.Item<T>>, AutoCloseable {

    /** One row, or why it could not be read. */
    record Item<T>(int row, int line, T value, String error, boolean fatal) {
    }

    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvParser.Feature.TRIM_SPACES)
            .enable(CsvParser.Feature.SKIP_EMPTY_LINES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final JsonParser jsonParser;
    private final ObjectMapper jsonMapper;
    private final MappingIterator<T> csvRows;
    private final Class<T> type;
    private int row;
    private Item<T> next;
    private boolean finished;

    private RowReader(JsonParser jsonParser, ObjectMapper jsonMapper, MappingIterator<T> csvRows, Class<T> type) {
        this.jsonParser = jsonParser;
        this.jsonMapper = jsonMapper;
        this.csvRows = csvRows;
        this.type = type;
    }

    static <T> RowReader<T> json(InputStream body, ObjectMapper mapper, Class<T> type) throws IOException {
        JsonParser parser = mapper.getFactory().createParser(body);
        RowReader<T> reader = new RowReader<>(parser, mapper, null, type);
        try {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                reader.next = new Item<>(1, parser.currentLocation().getLineNr(), null,
                        "the body must be a JSON array of rows, such as [{...}, {...}]", true);
                reader.finished = true;
            }
        } catch (JsonProcessingException e) {
            reader.next = new Item<>(1, lineOf(e), null, "the body is not valid JSON: " + e.getOriginalMessage(), true);
            reader.finished = true;
        }
        return reader;
    }

    static <T> RowReader<T> csv(InputStream body, Class<T> type) throws IOException {
        ObjectReader reader = CSV.readerFor(type).with(CsvSchema.emptySchema().withHeader());
        List<String> expected = columnsOf(type);
        MappingIterator<T> rows;
        try {
            rows = reader.readValues(body);
            rows.hasNextValue();
        } catch (IOException | RuntimeException e) {
            return failed(type, "the CSV body is empty or its header line cannot be read; the first line must name the"
                    + " columns " + String.join(",", expected));
        }
        RowReader<T> result = new RowReader<>(null, null, rows, type);
        if (rows.getParser().getSchema() instanceof CsvSchema schema) {
            List<String> unknown = new ArrayList<>();
            for (CsvSchema.Column column : schema) {
                if (!expected.contains(column.getName())) {
                    unknown.add(column.getName());
                }
            }
            if (!unknown.isEmpty()) {
                return failed(type, "unknown column " + String.join(", ", unknown) + " in the header line; use the"
                        + " columns " + String.join(",", expected) + ", separated by commas");
            }
        }
        return result;
    }

    private static <T> RowReader<T> failed(Class<T> type, String error) {
        RowReader<T> reader = new RowReader<>(null, null, null, type);
        reader.next = new Item<>(1, 1, null, error, true);
        reader.finished = true;
        return reader;
    }

    /** Returns the field names a row type accepts, in declaration order. */
    static List<String> columnsOf(Class<?> type) {
        List<String> names = new ArrayList<>();
        for (java.lang.reflect.RecordComponent component : type.getRecordComponents()) {
            names.add(component.getName());
        }
        return names;
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            if (jsonParser != null) {
                next = readJson();
            } else if (csvRows != null) {
                next = readCsv();
            }
        }
        return next != null;
    }

    @Override
    public Item<T> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Item<T> item = next;
        next = null;
        if (item.fatal()) {
            finished = true;
        }
        return item;
    }

    private Item<T> readJson() {
        try {
            JsonToken token = jsonParser.nextToken();
            if (token == JsonToken.END_ARRAY || token == null) {
                finished = true;
                return null;
            }
            row++;
            int line = jsonParser.currentTokenLocation().getLineNr();
            if (token != JsonToken.START_OBJECT) {
                jsonParser.skipChildren();
                return new Item<>(row, line, null, "the row is not a JSON object", false);
            }
            try {
                return new Item<>(row, line, jsonMapper.readValue(jsonParser, type), null, false);
            } catch (com.fasterxml.jackson.databind.JsonMappingException e) {
                return new Item<>(row, line, null, describe(e), false);
            }
        } catch (IOException e) {
            finished = true;
            int line = e instanceof JsonProcessingException json ? lineOf(json) : 0;
            String message = e instanceof com.fasterxml.jackson.core.JsonParseException parse ? parse.getOriginalMessage()
                    : "the body cannot be read";
            return new Item<>(row + 1, line, null, "the body is not valid UTF-8 JSON from here on ("
                    + firstLine(message) + "); send a JSON array encoded in UTF-8", true);
        }
    }

    private Item<T> readCsv() {
        try {
            if (!csvRows.hasNextValue()) {
                finished = true;
                return null;
            }
            row++;
            // After hasNextValue the CSV parser's current location is the start of the row.
            int line = csvRows.getParser().currentLocation().getLineNr();
            try {
                return new Item<>(row, line, csvRows.nextValue(), null, false);
            } catch (RuntimeException e) {
                return new Item<>(row, line, null, "the row cannot be read: " + firstLine(e.getMessage()), false);
            }
        } catch (IOException e) {
            finished = true;
            return new Item<>(row + 1, 0, null, "the CSV body cannot be read from here on: " + firstLine(e.getMessage()), true);
        }
    }

    private static String describe(com.fasterxml.jackson.databind.JsonMappingException e) {
        String field = e.getPath().isEmpty() ? "row" : e.getPath().get(e.getPath().size() - 1).getFieldName();
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException) {
            return "unknown field " + field + "; remove it or check its spelling";
        }
        return "field " + field + " has the wrong type: " + firstLine(e.getOriginalMessage());
    }

    private static int lineOf(JsonProcessingException e) {
        return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    @Override
    public void close() throws IOException {
        if (jsonParser != null) {
            jsonParser.close();
        }
        if (csvRows != null) {
            csvRows.close();
        }
    }
}
