package dev.echo4j.rollout;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExplorationGrammarTest {

    private static Set<String> commands(ExplorationGrammar g) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            out.add(g.next());
        }
        return out;
    }

    @Test
    void filesListedByLsRecursiveAreNamedWithTheirFolder() {
        ExplorationGrammar g = new ExplorationGrammar(new SplittableRandom(1));
        g.learnFrom("Command 'ls -R' executed successfully. Output:\n.:\ninbox\n\n./inbox:\nember-p7w.log\nkelp.csv\n(exit_code=0)");
        Set<String> seen = commands(g);
        assertTrue(seen.stream().anyMatch(c -> c.contains("inbox/ember-p7w.log")), seen.toString());
        assertTrue(seen.stream().noneMatch(c -> c.matches(".* ember-p7w\\.log.*")), "a bare name outside its folder: " + seen);
    }

    @Test
    void pathsFromFindAndWordsFromOutputAreUsedButNotTheStatusLine() {
        ExplorationGrammar g = new ExplorationGrammar(new SplittableRandom(2));
        g.learnFrom("Command 'find . | sort' executed successfully. Output:\n.\n./words.txt\nbanana\n(exit_code=0)");
        Set<String> seen = commands(g);
        assertTrue(seen.stream().anyMatch(c -> c.contains(" words.txt")), seen.toString());
        assertTrue(seen.stream().anyMatch(c -> c.contains("banana")), seen.toString());
        assertTrue(seen.stream().noneMatch(c -> c.contains("executed") || c.contains("sort' ")), seen.toString());
    }
}
