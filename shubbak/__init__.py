"""Shubbak: a one-stop window for networks that support small businesses."""
