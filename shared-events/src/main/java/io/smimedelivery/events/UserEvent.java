package io.smimedelivery.events;

/** A payload about one directory user, named by {@link #userId()}. */
public interface UserEvent {

    /** Directory user id. */
    String userId();
}
