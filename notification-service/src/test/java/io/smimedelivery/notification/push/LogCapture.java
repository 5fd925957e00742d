package io.smimedelivery.notification.push;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/** Collects every record of the push package's loggers until closed. */
final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger = Logger.getLogger("io.smimedelivery.notification.push");
    private final Level previousLevel;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    LogCapture() {
        previousLevel = logger.getLevel();
        logger.setLevel(Level.ALL);
        logger.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    /** Returns the records at WARNING or above. */
    List<LogRecord> warnings() {
        return records.stream().filter(record -> record.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    }

    /** Returns every message with its arguments filled in, followed by the attached exception, if any. */
    List<String> messages() {
        return records.stream().map(LogCapture::format).toList();
    }

    static String format(LogRecord record) {
        String message = record instanceof ExtLogRecord extended ? extended.getFormattedMessage() : record.getMessage();
        Throwable thrown = record.getThrown();
        return thrown == null ? message : message + " " + thrown;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(previousLevel);
    }
}
