package dev.echo4j.rollout;

import dev.echo4j.env.EpisodeLimits;
import dev.echo4j.env.SandboxConfig;
import dev.echo4j.env.StepResult;
import dev.echo4j.env.TerminalEnvironment;
import dev.echo4j.sampling.Sampler;
import dev.echo4j.sampling.SamplingConfig;
import dev.echo4j.sampling.SamplingResult;
import dev.echo4j.task.Task;
import dev.echo4j.tokenizer.ChatTemplate;
import dev.echo4j.transcript.EndReason;
import dev.echo4j.transcript.TokenRole;
import dev.echo4j.transcript.TranscriptMessage;
import dev.echo4j.transcript.TranscriptRenderer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Plays groups of episodes turn by turn: each turn, the policy writes the next action of every live
 * episode in batched generations of at most {@code rollout.generation_batch} episodes, then the sandboxes run
 * those actions in parallel on a bounded pool.
 */
public final class RolloutCollector implements RolloutEngine {

    private final Sampler sampler;
    private final ChatTemplate template;
    private final TranscriptRenderer renderer;
    private final SandboxConfig sandbox;
    private final EpisodeLimits limits;
    private final RolloutSettings settings;
    private final ExecutorService pool;

    public RolloutCollector(Sampler sampler, ChatTemplate template, SandboxConfig sandbox, RolloutSettings settings) {
        this.sampler = sampler;
        this.template = template;
        this.renderer = new TranscriptRenderer(template);
        this.sandbox = sandbox.withMaxOutputBytes(settings.maxOutputBytes());
        this.limits = settings.episodeLimits();
        this.settings = settings;
        this.pool = Executors.newFixedThreadPool(settings.workers(), r -> {
            Thread t = new Thread(r, "echo4j-episode");
            t.setDaemon(true);
            return t;
        });
    }

    /** Follows episodes as they are played, for example to print them; called from the episode threads. */
    public interface TurnObserver {
        TurnObserver NONE = new TurnObserver() { };

        /** The agent's turn as sampled, before it runs. */
        default void action(int episode, String turn) {
        }

        /** What the turn produced. */
        default void observation(int episode, StepResult result) {
        }
    }

    /** The tokens an episode of {@code task} holds before the policy's first action: system prompt, instruction, assistant header. */
    public int openingTokens(Task task) {
        return openingTokens(template, settings, task);
    }

    /** As {@link #openingTokens(Task)}, without a collector (nor a model) at hand. */
    public static int openingTokens(ChatTemplate template, RolloutSettings settings, Task task) {
        return new TranscriptRenderer(template).render(TerminalEnvironment.opening(task, settings.episodeLimits())).length()
                + template.header("assistant").length;
    }

    /**
     * {@code groupSize} episodes of each task, returned group by group in task order. Episode {@code i}'s turn
     * {@code t} samples with its own stream, {@link #episodeSeed}{@code (sampling.seed(), t, i)}, so a step is
     * reproducible from its seed and any subset of its episodes plays as in the whole step.
     */
    @Override
    public List<Rollout> collect(List<Task> tasks, int groupSize, SamplingConfig sampling) {
        return collect(tasks, groupSize, sampling, TurnObserver.NONE);
    }

    /** As {@link #collect(List, int, SamplingConfig)}, telling {@code observer} each turn as it happens. */
    public List<Rollout> collect(List<Task> tasks, int groupSize, SamplingConfig sampling, TurnObserver observer) {
        return play(EpisodeSlot.of(tasks, groupSize), sampling, observer);
    }

    /** Plays these episodes of a step (all of it, or the share a cluster gave this machine), in the order given. */
    public List<Rollout> play(List<EpisodeSlot> slots, SamplingConfig sampling, TurnObserver observer) {
        List<Episode> episodes = new ArrayList<>();
        for (EpisodeSlot slot : slots) {
            episodes.add(new Episode(slot.index(), slot.group(), new TerminalEnvironment(slot.task(), sandbox, limits), observer));
        }
        Sampler policy = sampler.pinned();   // the weights cannot change until every episode has ended
        try {
            inParallel(episodes, Episode::start);
            for (int turn = 0; ; turn++) {
                List<Episode> live = episodes.stream().filter(e -> !e.done).toList();
                if (live.isEmpty()) {
                    break;
                }
                int[][] prompts = live.stream().map(e -> e.tokens.ids()).toArray(int[][]::new);
                int t = turn;
                List<SamplingConfig> configs = live.stream().map(e -> withSeed(sampling, episodeSeed(sampling.seed(), t, e.index))).toList();
                for (int from = 0; from < live.size(); from += settings.generationBatch()) {
                    int to = Math.min(live.size(), from + settings.generationBatch());
                    SamplingResult actions = policy.generate(Arrays.copyOfRange(prompts, from, to), configs.subList(from, to));
                    for (int i = from; i < to; i++) {
                        live.get(i).pending = actions.sequences().get(i - from);
                    }
                }
                inParallel(live, Episode::act);
            }
            return episodes.stream().map(Episode::rollout).toList();
        } finally {
            episodes.forEach(e -> e.env.close());
        }
    }

    /** The sampling seed of episode {@code index}'s turn {@code turn} in a step sampled with {@code seed}. */
    static long episodeSeed(long seed, int turn, int index) {
        return (seed + turn) * 0x9E3779B97F4A7C15L + index;
    }

    private static SamplingConfig withSeed(SamplingConfig c, long seed) {
        return new SamplingConfig(c.temperature(), c.topP(), c.topK(), seed, c.maxNewTokens(), c.stopTokenIds(), c.temperedLogProbs());
    }

    private void inParallel(List<Episode> episodes, Consumer<Episode> action) {
        List<Future<?>> futures = new ArrayList<>();
        episodes.forEach(e -> futures.add(pool.submit(() -> action.accept(e))));
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while playing episodes", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("an episode failed: " + e.getCause().getMessage(), e.getCause());
            }
        }
    }

    /** One episode in flight: its environment and the tokens so far. */
    private final class Episode {
        final int index;
        final int group;
        final TerminalEnvironment env;
        final TurnObserver observer;
        final TokenSequence tokens = new TokenSequence();
        SamplingResult.Sequence pending;
        int generated;
        boolean done;
        boolean truncated;

        Episode(int index, int group, TerminalEnvironment env, TurnObserver observer) {
            this.index = index;
            this.group = group;
            this.env = env;
            this.observer = observer;
        }

        void start() {
            env.reset();
            tokens.add(renderer.render(env.transcript().messages()));
            tokens.add(template.header("assistant"), TokenRole.CONTEXT);
        }

        /** Appends the sampled action, runs it, and appends the observation (or ends the episode). */
        void act() {
            SamplingResult.Sequence action = pending;
            generated += action.tokens().length;
            tokens.add(action.tokens(), TokenRole.ACTION, action.logProbs());
            int[] text = action.tokens();
            if (action.stopped()) {
                text = Arrays.copyOf(text, text.length - 1);
            } else {
                tokens.add(new int[] {template.endOfTurnId()}, TokenRole.CONTEXT);   // the turn ran out of tokens: close it
            }
            tokens.add(template.separator(), TokenRole.CONTEXT);
            String turn = template.tokenizer().decode(text);
            observer.action(index, turn);
            StepResult result = env.step(turn);
            observer.observation(index, result);
            if (!result.observation().segments().isEmpty()) {   // the last action's output is a target too
                tokens.add(renderer.render(List.of(new TranscriptMessage("user", result.observation().segments()))));
            }
            if (result.done()) {
                done = true;
                return;
            }
            tokens.add(template.header("assistant"), TokenRole.CONTEXT);
            if (tokens.length() + settings.maxNewTokens() > settings.maxSequenceTokens()) {
                env.end(EndReason.TOKEN_LIMIT);
                done = truncated = true;
            }
        }

        Rollout rollout() {
            return new Rollout(group, tokens.ids(), tokens.roles(), tokens.logProbs(), env.transcript(), generated, truncated);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
