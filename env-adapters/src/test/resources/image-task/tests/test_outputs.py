import os
import subprocess


def test_starts_in_the_workdir():
    assert os.getcwd() == "/work/project"


def test_env_is_set():
    # ENV reaches the verifier, task.toml's [environment.env] overrides it, [verifier.env] is the verifier's own;
    # ARG is the build's only (as in Docker) and [solution.env] the solution's.
    assert os.environ["GREETING"] == "hello from task.toml"
    assert os.environ["ANSWER_FILE"] == "answer.txt"
    assert os.environ["TASK_LEVEL"] == "from task.toml"
    assert os.environ["ONLY_FOR_TESTS"] == "verifier"
    assert "SUBDIR" not in os.environ
    assert "ONLY_FOR_SOLUTION" not in os.environ


def test_copied_files_are_there():
    assert open("/work/project/data/readme.txt").read() == "fixture\n"


def test_pip_package_came_from_debian():
    import yaml
    assert yaml.safe_load("a: 1") == {"a": 1}


def test_bc_was_installed():
    assert subprocess.run(["bc", "--version"], capture_output=True).returncode == 0


def test_answer():
    assert open("/work/project/answer.txt").read().split(" ", 1) == ["60", "hello from task.toml solution\n"]
