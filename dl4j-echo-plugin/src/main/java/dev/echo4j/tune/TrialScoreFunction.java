package dev.echo4j.tune;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;

/**
 * Arbiter's {@link ScoreFunction} over a trial's held-out metrics (the "model" Arbiter hands over is the metric
 * map a {@link Trial} returned): the {@link Objective}'s score, e.g. pass@1 with env CE breaking ties.
 */
public final class TrialScoreFunction implements ScoreFunction {

    private final Objective objective;

    public TrialScoreFunction(Objective objective) {
        this.objective = objective;
    }

    @Override
    @SuppressWarnings("unchecked")
    public double score(Object metrics, DataProvider dataProvider, Map<String, Object> dataParameters) {
        return objective.score((Map<String, Double>) metrics);
    }

    @Override
    public double score(Object metrics, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
        return score(metrics, (DataProvider) null, null);
    }

    @Override
    public boolean minimize() {
        return objective.minimize();
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(Map.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of();
    }
}
