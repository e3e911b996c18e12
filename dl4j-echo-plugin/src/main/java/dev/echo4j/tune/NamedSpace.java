package dev.echo4j.tune;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

/**
 * Arbiter's parameter space for a set of named hyperparameters: a candidate is the map from each name to the
 * value its leaf draws. Arbiter's generators number the leaves and hand over one flat vector in [0, 1]^n.
 */
public final class NamedSpace implements ParameterSpace<Map<String, Object>> {

    private final Map<String, ParameterSpace<?>> leaves;

    public NamedSpace(Map<String, ParameterSpec> specs) {
        if (specs.isEmpty()) {
            throw new IllegalArgumentException("a search space needs at least one parameter");
        }
        Map<String, ParameterSpace<?>> m = new LinkedHashMap<>();
        specs.forEach((name, spec) -> m.put(name, spec.toArbiter()));
        this.leaves = Collections.unmodifiableMap(m);
    }

    @Override
    public Map<String, Object> getValue(double[] parameterValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        leaves.forEach((name, leaf) -> values.put(name, leaf.getValue(parameterValues)));
        return values;
    }

    @Override
    public int numParameters() {
        return leaves.values().stream().mapToInt(ParameterSpace::numParameters).sum();
    }

    @Override
    public List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> all = new ArrayList<>();
        leaves.values().forEach(leaf -> all.addAll(leaf.collectLeaves()));
        return all;
    }

    @Override
    public Map<String, ParameterSpace> getNestedSpaces() {
        return Collections.unmodifiableMap(leaves);
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("NamedSpace is not a leaf: Arbiter numbers its leaves");
    }
}
