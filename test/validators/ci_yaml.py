# YAML loading shared by check-schema.py and check-static.py. Both read CI
# files the way the CI systems do as far as JSON types go, which PyYAML's
# YAML 1.1 SafeLoader does not quite do on its own.
import yaml

YAMLError = yaml.YAMLError


class Loader(yaml.SafeLoader):
    """SafeLoader minus timestamps: JSON has no dates, and both CI systems see
    an unquoted 2026-08-01 as a string, so a date object would be a false error."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load(path, github):
    """The document in PATH; OSError and YAMLError pass through."""
    with open(path, encoding="utf-8") as f:
        document = yaml.load(f, Loader=Loader)
    # YAML 1.1 reads the key `on` as True; GitHub (YAML 1.2) reads "on".
    # Rebuilt in place of pop-and-add so that errors keep the file's key order.
    if github and isinstance(document, dict):
        document = {("on" if key is True else key): value for key, value in document.items()}
    return document
