package dev.echo4j.image;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Debian release that stands in for a Dockerfile's {@code FROM} image. Debian and Ubuntu images, the
 * {@code python:3.x} images (themselves Debian) and Terminal-Bench's own Ubuntu and Python bases are built from Debian's package registry; an Ubuntu release is
 * replaced by the Debian release it was taken from, a Python version by the Debian release whose python3 is
 * closest to it (whatever release the tag names).
 *
 * @param image     the image as the Dockerfile names it
 * @param suite     the Debian release built instead (bullseye, bookworm, trixie)
 * @param packages  packages the image has beyond Debian's minimal base (python3 for the Python images)
 * @param note      what stands in for what, for the build log; empty when the image is Debian's own
 */
public record BaseImage(String image, String suite, List<String> packages, String note) {

    private static final Pattern PYTHON = Pattern.compile("3\\.(\\d+)(?:\\.\\d+)?(?:-(.*))?");
    private static final Pattern TBENCH = Pattern.compile("ghcr\\.io/laude-institute/t-bench/(ubuntu|python)-(\\d+-\\d+)(:.*)?");

    public BaseImage {
        packages = List.copyOf(packages);
    }

    /** The stand-in for {@code reference} ({@code name[:tag][@digest]}), or empty when echo4j cannot build it. */
    public static Optional<BaseImage> of(String reference) {
        String ref = reference.toLowerCase(Locale.ROOT).replaceFirst("@sha256:[0-9a-f]+$", "")
                .replaceFirst("^(docker\\.io/)?(library/)?", "");
        Matcher tbench = TBENCH.matcher(ref);
        if (tbench.matches()) {
            // Terminal-Bench's own bases: ubuntu-24-04 is ubuntu:24.04 and python-3-13 is python:3.13, with tmux added.
            ref = tbench.group(1) + ":" + tbench.group(2).replace('-', '.');
        }
        int colon = ref.lastIndexOf(':');
        String name = colon < 0 ? ref : ref.substring(0, colon);
        String tag = colon < 0 ? "latest" : ref.substring(colon + 1);
        return switch (name) {
            case "debian" -> debian(reference, tag);
            case "ubuntu" -> ubuntu(reference, tag);
            case "python" -> python(reference, tag);
            default -> Optional.empty();
        };
    }

    private static Optional<BaseImage> debian(String image, String tag) {
        String t = tag.replaceFirst("-slim$", "");
        String suite = switch (t.replaceFirst("-\\d{8}$", "").replaceFirst("\\.\\d+$", "")) {
            case "11", "bullseye" -> "bullseye";
            case "12", "bookworm" -> "bookworm";
            case "13", "trixie", "latest", "stable" -> "trixie";
            default -> null;
        };
        return Optional.ofNullable(suite).map(s -> new BaseImage(image, s, List.of(),
                t.equals("latest") || t.equals("stable") ? "Debian " + s + " (the current stable release) stands in for " + image : ""));
    }

    private static Optional<BaseImage> ubuntu(String image, String tag) {
        String suite = switch (tag) {
            case "20.04", "focal" -> "bullseye";
            case "22.04", "jammy" -> "bookworm";
            case "24.04", "noble", "24.10", "oracular", "25.04", "plucky", "latest", "rolling" -> "trixie";
            default -> null;
        };
        return Optional.ofNullable(suite).map(s -> new BaseImage(image, s, List.of(),
                "Debian " + s + " (the Debian release closest to it) stands in for " + image
                        + "; its packages are installed from Debian's registry under their Debian names"));
    }

    private static Optional<BaseImage> python(String image, String tag) {
        Matcher m = PYTHON.matcher(tag);
        if (!m.matches()) {
            return Optional.empty();
        }
        int minor = Integer.parseInt(m.group(1));
        String variant = m.group(2) == null ? "" : m.group(2);
        // By the Python version, whatever Debian release the tag names: a python:3.13-slim-bookworm user counts on
        // Python 3.13 (and libraries of its time), which only trixie has; bookworm's python3 is 3.11.
        String suite = minor <= 9 ? "bullseye" : minor <= 11 ? "bookworm" : "trixie";
        if (variant.contains("alpine") || variant.contains("windows")) {
            return Optional.empty();
        }
        String debianPython = switch (suite) {
            case "bullseye" -> "3.9";
            case "bookworm" -> "3.11";
            default -> "3.13";
        };
        // python3-dev: Docker's python images, slim ones too, carry Python's C headers (portfolio-optimization's solution
        // builds a C extension against Python.h).
        return Optional.of(new BaseImage(image, suite, List.of("python3", "python-is-python3", "python3-dev"),
                "Debian " + suite + " with its python3 (" + debianPython + ") stands in for " + image));
    }
}
