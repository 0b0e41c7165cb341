"""Settings the administrator edits in the browser (retention periods and the like).

Each domain declares its settings as ``SettingSpec``s in its ``Domain``: a key, a type, a default, a label
and a section. ``get(key)`` returns the stored value or the default.
"""
