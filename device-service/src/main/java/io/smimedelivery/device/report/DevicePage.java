package io.smimedelivery.device.report;

import java.util.List;

/**
 * One page of a policy's device report.
 *
 * @param total number of rows that match the filters, on every page
 */
public record DevicePage(long total, int limit, int offset, List<DeviceReportRow> rows) {
}
