package dev.echo4j.tune;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the search records about one candidate: one line of {@code results.jsonl}, one row of the tables.
 *
 * @param index   Arbiter's candidate index; with the same spec and seed it names the same values
 * @param values  parameter name to the value tried
 * @param metrics held-out metrics of a succeeded trial (empty for a failure)
 * @param score   the objective's score, NaN for a failure
 * @param reason  why the trial failed, null when it succeeded
 * @param retry   a failure not caused by the candidate (e.g. no sandbox, a full disk): a resumed search runs it again
 */
public record TrialResult(
        @JsonProperty("index") int index,
        @JsonProperty("values") Map<String, Object> values,
        @JsonProperty("status") Status status,
        @JsonProperty("metrics") Map<String, Double> metrics,
        @JsonProperty("score") double score,
        @JsonProperty("reason") String reason,
        @JsonProperty("seconds") double seconds,
        @JsonProperty("run_dir") String runDir,
        @JsonProperty("retry") boolean retry) {

    public enum Status {
        @JsonProperty("ok") OK,
        @JsonProperty("failed") FAILED
    }

    public TrialResult {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        metrics = Collections.unmodifiableMap(metrics == null ? new LinkedHashMap<>() : new LinkedHashMap<>(metrics));
    }

    public boolean ok() {
        return status == Status.OK;
    }
}
