package io.smimedelivery.common.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class QueryParametersTest {

    @Test
    void missingOrBlankGivesDefault() {
        assertEquals(100, QueryParameters.integer("limit", null, 100, 1, 500));
        assertEquals(100, QueryParameters.integer("limit", " ", 100, 1, 500));
        assertEquals(42, QueryParameters.integer("limit", " 42 ", 100, 1, 500));
    }

    @Test
    void invalidValuesAreCollected() {
        List<FieldError> errors = new ArrayList<>();
        assertEquals(100, QueryParameters.integer("limit", "abc", 100, 1, 500, errors));
        assertEquals(0, QueryParameters.integer("offset", "-1", 0, 0, Integer.MAX_VALUE, errors));
        assertEquals(List.of(new FieldError("limit", "abc", "use a whole number from 1 to 500"),
                new FieldError("offset", "-1", "use a whole number of 0 or more")), errors);
    }

    @Test
    void invalidValueThrowsProblem() {
        ProblemException problem = assertThrows(ProblemException.class,
                () -> QueryParameters.integer("limit", "501", 100, 1, 500));
        assertEquals(400, problem.status().getStatusCode());
        assertEquals(List.of(new FieldError("limit", "501", "use a whole number from 1 to 500")), problem.errors());
    }
}
