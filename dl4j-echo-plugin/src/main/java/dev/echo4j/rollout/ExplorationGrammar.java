package dev.echo4j.rollout;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plausible shell commands for exploring a task's folder: looking around, reading, counting, searching.
 * Arguments come from what earlier observations showed (file names, words), so the commands mostly
 * succeed and their outputs are worth predicting; none of them is a task's solution.
 */
final class ExplorationGrammar {

    private static final Pattern PATH = Pattern.compile("(?<![\\w./-])(?:\\./)?((?:[\\w-]+/)*[\\w-]+\\.[A-Za-z0-9]{1,5})(?![\\w/])");
    private static final Pattern DIR = Pattern.compile("(?m)^(?:\\./)?([\\w-]+(?:/[\\w-]+)*):$|(?<![\\w./-])([\\w-]+)/(?=[\\w-])");
    private static final Pattern SECTION = Pattern.compile("^\\.(?:/([\\w/-]+))?:$");
    private static final Pattern WORD = Pattern.compile("\\b[A-Za-z][A-Za-z_]{3,11}\\b");

    private static final String[] LOOK = {"ls", "ls -la", "ls -R", "find . -type f", "find . -type d", "pwd", "ls -l", "du -a . | head -n 20",
        "find . -type f | wc -l", "tree 2>/dev/null || find . | sort"};
    private static final String[] ON_FILE = {"cat %s", "head -n 5 %s", "tail -n 3 %s", "wc -l %s", "wc -c %s", "sort %s", "sort %s | uniq -c",
        "stat -c '%%a %%n' %s", "file %s", "md5sum %s", "cut -c1-20 %s | head", "awk '{print $1}' %s | head -n 5", "grep -c . %s", "ls -l %s",
        "sed -n '1,3p' %s", "tr a-z A-Z < %s | head -n 3", "nl %s | head", "sort -r %s | head -n 4", "tac %s | head -n 3", "basename %s"};
    private static final String[] ON_DIR = {"ls %s", "ls -la %s", "find %s -type f", "du -sh %s", "ls %s | wc -l", "cd %s && ls", "stat -c '%%a %%n' %s"};
    private static final String[] ON_WORD = {"grep -rn %s .", "grep -rl %s .", "echo %s", "grep -ri %s . | head -n 5", "grep -rc %s . | head"};
    private static final String[] ON_ARCHIVE = {"tar -tzf %s", "unzip -l %s", "tar -tvzf %s | head"};

    private final SplittableRandom random;
    private final Set<String> files = new LinkedHashSet<>();
    private final Set<String> dirs = new LinkedHashSet<>();
    private final Set<String> words = new LinkedHashSet<>();

    ExplorationGrammar(SplittableRandom random) {
        this.random = random;
    }

    /** Remembers file names, folders and words seen in an observation. */
    void learnFrom(String observation) {
        String section = "";
        for (String line : observation.split("\n")) {
            Matcher header = SECTION.matcher(line);
            if (header.matches()) {                       // "./inbox:" in ls -R output: names below live there
                section = header.group(1) == null ? "" : header.group(1) + "/";
                continue;
            }
            Matcher p = PATH.matcher(line);
            while (p.find()) {
                String name = p.group(1);
                files.add(name.contains("/") || line.startsWith("./") ? name : section + name);
            }
        }
        Matcher d = DIR.matcher(observation);
        while (d.find()) {
            String dir = d.group(1) != null ? d.group(1) : d.group(2);
            if (!dir.equals("app") && !dir.equals("tmp")) {
                dirs.add(dir);
            }
        }
        Matcher w = WORD.matcher(observation.substring(observation.indexOf('\n') + 1));   // not the "Command '...'" status line
        while (w.find() && words.size() < 200) {
            words.add(w.group());
        }
    }

    /** The next command: looking around until something is known, then mostly acting on what was seen. */
    String next() {
        int choice = random.nextInt(10);
        if (files.isEmpty() || choice == 0) {
            return pick(LOOK);
        }
        String file = pick(new ArrayList<>(files));
        if ((file.endsWith(".gz") || file.endsWith(".zip") || file.endsWith(".tar")) && choice < 6) {
            return ON_ARCHIVE[file.endsWith(".zip") ? 1 : random.nextInt(2) * 2].formatted(file);
        }
        if (choice <= 5) {
            return pick(ON_FILE).formatted(file);
        }
        if (choice <= 7 && !dirs.isEmpty()) {
            return pick(ON_DIR).formatted(pick(new ArrayList<>(dirs)));
        }
        if (!words.isEmpty()) {
            return pick(ON_WORD).formatted(pick(new ArrayList<>(words)));
        }
        return pick(LOOK);
    }

    private String pick(String[] options) {
        return options[random.nextInt(options.length)];
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }
}
