package io.smimedelivery.events;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an event field that contains personal data under the GDPR, such as an e-mail address. The JSON
 * Schema gives such a field {@code "x-personal-data": true}, and docs/events.md lists it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.FIELD, ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.METHOD })
public @interface PersonalData {
}
