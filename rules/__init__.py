"""Profiles and vocabularies shipped with targetlint (installed as ``targetlint.profiles``).

Nothing to import here: the YAML files beside this one are the data.
"""
