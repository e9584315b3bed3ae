"""What the replays of generated GitHub workflows (ci_replay.py,
leg_replay.py) share: `${{ matrix.X }}` expansion from a leg's include
entry, and the artifact actions played by what they do (upload-artifact
copies the files its `path` globs match into STORE/NAME, download-artifact
copies them back into its `path`)."""
import glob
import os
import re
import shutil


def expand(value, leg):
    """`${{ matrix.name }}`, `${{ matrix.env.PY }}` from the leg; anything
    else stays, and is refused where it matters."""
    def one(m):
        path = m.group(1).split(".")
        if path[0] != "matrix":
            return m.group(0)
        v = leg
        for p in path[1:]:
            v = (v or {}).get(p, "")
        return str(v)
    return re.sub(r"\$\{\{\s*([A-Za-z0-9_.-]+)\s*\}\}", one, str(value))


def artifact(uses, with_, workdir, store):
    """Plays an artifact action: (handled, ok, what it did)."""
    if uses.startswith("actions/upload-artifact@"):
        dest = os.path.join(store, with_["name"])
        files = []
        for pattern in with_["path"].splitlines():
            files += glob.glob(os.path.join(workdir, pattern))
        if not files and with_.get("if-no-files-found") == "error":
            return True, False, "no files"
        os.makedirs(dest, exist_ok=True)
        for path in files:
            shutil.copy(path, dest)
        return True, True, "kept %s" % " ".join(
            sorted(os.path.basename(p) for p in files))
    if uses.startswith("actions/download-artifact@"):
        dest = os.path.join(workdir, with_["path"])
        shutil.copytree(os.path.join(store, with_["name"]), dest,
                        dirs_exist_ok=True)
        return True, True, "took %s" % " ".join(sorted(os.listdir(dest)))
    return False, True, ""
