package io.smimedelivery.simulator;

/** A failed step of a command, such as an HTTP error or a package that cannot be opened. Exit status 1. */
final class SimulatorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SimulatorException(String message) {
        super(message);
    }

    SimulatorException(String message, Throwable cause) {
        super(message, cause);
    }
}
