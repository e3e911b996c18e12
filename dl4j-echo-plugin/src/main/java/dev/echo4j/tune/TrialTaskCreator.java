package dev.echo4j.tune;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Arbiter's {@link TaskCreator}: a candidate becomes a {@link Trial} in its own run folder
 * ({@code candidate-NNN}), scored by the search's {@link ScoreFunction} and recorded by its {@link ResultsLog}.
 * A candidate already in the results log is returned as recorded, without training: that is how an
 * interrupted search resumes. A failing trial becomes a failed result with its reason; it never ends the search.
 * Failures that are the candidate's ({@link TrialFailure}, an invalid setting) are final; any other exception
 * (no sandbox, a full disk) is recorded for a retry when the search is resumed.
 */
public final class TrialTaskCreator implements TaskCreator {

    private static final Logger LOG = LoggerFactory.getLogger(TrialTaskCreator.class);

    private final Trial trial;
    private final Path searchDir;
    private final ResultsLog results;

    public TrialTaskCreator(Trial trial, Path searchDir, ResultsLog results) {
        this.trial = trial;
        this.searchDir = searchDir;
        this.results = results;
    }

    public static Path runDir(Path searchDir, int index) {
        return searchDir.resolve(String.format("candidate-%03d", index));
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider, ScoreFunction scoreFunction,
                                               List<StatusListener> statusListeners, IOptimizationRunner runner) {
        return () -> run(candidate, scoreFunction, statusListeners, runner);
    }

    @Override
    public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource, Properties dataSourceProperties,
                                               ScoreFunction scoreFunction, List<StatusListener> statusListeners, IOptimizationRunner runner) {
        return () -> run(candidate, scoreFunction, statusListeners, runner);
    }

    @SuppressWarnings("unchecked")
    private OptimizationResult run(Candidate candidate, ScoreFunction scoreFunction, List<StatusListener> listeners,
                                   IOptimizationRunner runner) {
        int index = candidate.getIndex();
        Map<String, Object> values = (Map<String, Object>) candidate.getValue();
        long start = System.currentTimeMillis();
        TrialResult result = results.find(index).map(recorded -> sameValues(recorded, values)).orElseGet(() -> {
            Path dir = runDir(searchDir, index);
            try {
                Map<String, Double> metrics = trial.run(values, dir);
                double score = scoreFunction.score(metrics, (DataProvider) null, null);
                if (!Double.isFinite(score)) {
                    return failed(index, values, "objective metric missing or not finite in " + metrics, false, start, dir);
                }
                return new TrialResult(index, values, TrialResult.Status.OK, metrics, score, null, seconds(start), dir.toString(), false);
            } catch (Exception e) {
                LOG.debug("candidate {} failed", index, e);
                String reason = e instanceof TrialFailure ? e.getMessage() : e.getClass().getSimpleName() + ": " + e.getMessage();
                boolean candidatesFault = e instanceof TrialFailure || e instanceof IllegalArgumentException;
                return failed(index, values, reason, !candidatesFault, start, dir);
            }
        });
        CandidateInfo info = new CandidateInfo(index, result.ok() ? CandidateStatus.Complete : CandidateStatus.Failed,
                result.ok() ? result.score() : null, start, start, System.currentTimeMillis(), candidate.getFlatParameters(), result.reason());
        OptimizationResult out = new OptimizationResult(candidate, result.ok() ? result.score() : null, index, result, info, null);
        try {
            out.setResultReference(runner.getConfiguration().getResultSaver().saveModel(out, result));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (StatusListener listener : listeners) {
            listener.onCandidateStatusChange(info, runner, out);
        }
        return out;
    }

    /** A recorded result is reused only for the very values it was trained with (same spec, same seed). */
    private static TrialResult sameValues(TrialResult recorded, Map<String, Object> values) {
        if (!String.valueOf(recorded.values()).equals(String.valueOf(values))) {
            throw new IllegalStateException("candidate " + recorded.index() + " was recorded with " + recorded.values()
                    + " but the search now draws " + values + ": the space or seed changed; use a new --out folder");
        }
        return recorded;
    }

    private static TrialResult failed(int index, Map<String, Object> values, String reason, boolean retry, long start, Path dir) {
        LOG.warn("candidate {} failed: {}", index, reason);
        return new TrialResult(index, values, TrialResult.Status.FAILED, Map.of(), Double.NaN, reason, seconds(start), dir.toString(), retry);
    }

    private static double seconds(long start) {
        return (System.currentTimeMillis() - start) / 1000.0;
    }
}
