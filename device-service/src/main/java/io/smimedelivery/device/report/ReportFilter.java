package io.smimedelivery.device.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.smimedelivery.common.problem.FieldError;
import io.smimedelivery.events.RetrievalState;

/**
 * Filters of the per-device report. Each list contains the accepted values of one query parameter, and a row
 * matches when it matches every non-empty list. An empty list does not filter.
 *
 * @param intuneStates report states
 * @param states stored retrieval states, with {@link #NO_STATE} for rows without one
 * @param reasonCodes reason codes, compared exactly
 * @param userIds user ids, compared exactly
 */
public record ReportFilter(List<IntuneState> intuneStates, List<String> states, List<String> reasonCodes,
        List<String> userIds) {

    /** Value of the {@code state} column and filter for rows without a stored retrieval state. */
    public static final String NO_STATE = "NONE";

    /** Query parameter names. */
    public static final String INTUNE_STATE = "intuneState";
    public static final String STATE = "state";
    public static final String REASON_CODE = "reasonCode";
    public static final String USER_ID = "userId";
    public static final Set<String> PARAMETERS = Set.of(INTUNE_STATE, STATE, REASON_CODE, USER_ID);

    /** Stored retrieval states in lifecycle order, without UNKNOWN, which only readers produce for values they do not know. */
    public static final List<String> STORED_STATES = Arrays.stream(RetrievalState.values())
            .filter(state -> state != RetrievalState.UNKNOWN).map(Enum::name).toList();

    private static final Pattern REASON_CODE_FORMAT = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final String REPEAT = "; repeat the parameter for several values";

    public static final ReportFilter NONE = new ReportFilter(List.of(), List.of(), List.of(), List.of());

    public ReportFilter {
        intuneStates = List.copyOf(intuneStates);
        states = List.copyOf(states);
        reasonCodes = List.copyOf(reasonCodes);
        userIds = List.copyOf(userIds);
    }

    /**
     * Parses the filter parameters and adds an error to {@code errors} for every invalid value. Blank
     * values are ignored, as if the parameter were absent.
     */
    public static ReportFilter parse(List<String> intuneState, List<String> state, List<String> reasonCode,
            List<String> userId, List<FieldError> errors) {
        List<IntuneState> intuneStates = new ArrayList<>();
        for (String value : present(intuneState)) {
            Optional<IntuneState> parsed = IntuneState.parse(value);
            if (parsed.isPresent()) {
                intuneStates.add(parsed.get());
            } else {
                errors.add(new FieldError(INTUNE_STATE, value, "use one of " + IntuneState.ACCEPTED + REPEAT));
            }
        }

        List<String> states = new ArrayList<>();
        for (String value : present(state)) {
            String upper = value.strip().toUpperCase(Locale.ROOT);
            if (STORED_STATES.contains(upper) || upper.equals(NO_STATE)) {
                states.add(upper);
            } else {
                errors.add(new FieldError(STATE, value, "use one of " + String.join(", ", STORED_STATES) + " or "
                        + NO_STATE + " (no stored status)" + REPEAT));
            }
        }

        List<String> reasonCodes = new ArrayList<>();
        for (String value : present(reasonCode)) {
            if (REASON_CODE_FORMAT.matcher(value).matches()) {
                reasonCodes.add(value);
            } else {
                errors.add(new FieldError(REASON_CODE, value, "use a reason code of 1 to 100 letters, digits, dots,"
                        + " dashes or underscores, such as INSTALL_MISMATCH" + REPEAT));
            }
        }

        return new ReportFilter(distinct(intuneStates), distinct(states), distinct(reasonCodes),
                distinct(present(userId)));
    }

    private static List<String> present(List<String> values) {
        return values == null ? List.of() : values.stream().filter(value -> value != null && !value.isBlank()).toList();
    }

    private static <T> List<T> distinct(List<T> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }
}
