package io.smimedelivery.device.report;

import java.io.IOException;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Writes the device report as CSV by RFC 4180: CRLF line ends, and a field in double quotes, with inner
 * quotes doubled, when it contains a comma, a double quote, CR or LF. A null is an empty field.
 *
 * <p>A value that starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or CR gets a leading
 * single quote, so that spreadsheet programs show it as text and do not run it as a formula. Such values
 * come from devices and events (a model name, a failure detail), so an administrator opening the export
 * must not run them.
 */
final class CsvFormat {

    /** Column names, in the order of {@link #fields}, equal to the JSON property names. */
    static final List<String> HEADER = List.of("deviceId", "userId", "userPrincipalName", "email", "platform", "model",
            "intuneState", "state", "reasonCode", "detail", "policyVersion", "updatedAt");

    private static final String LINE_END = "\r\n";

    private CsvFormat() {
    }

    static void writeHeader(Writer out) throws IOException {
        writeLine(out, HEADER);
    }

    static void writeRow(Writer out, DeviceReportRow row) throws IOException {
        writeLine(out, fields(row));
    }

    static List<String> fields(DeviceReportRow row) {
        return Arrays.asList(row.deviceId(), row.userId(), row.userPrincipalName(), row.email(),
                row.platform(), row.model(), row.intuneState().name(), row.state(), row.reasonCode(), row.detail(),
                Objects.toString(row.policyVersion(), null), Objects.toString(row.updatedAt(), null));
    }

    /** Returns a value as one CSV field: neutralized against formulas, then quoted when it needs quotes. */
    static String field(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        String text = startsLikeFormula(value) ? "'" + value : value;
        boolean quote = text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\r') >= 0
                || text.indexOf('\n') >= 0;
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    private static boolean startsLikeFormula(String value) {
        char first = value.charAt(0);
        return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    }

    private static void writeLine(Writer out, List<String> values) throws IOException {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            out.write(field(values.get(i)));
        }
        out.write(LINE_END);
    }
}
