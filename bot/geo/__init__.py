"""Communes, postal codes and SPRO territories of Centre-Val de Loire."""

from bot.geo.data import Commune
from bot.geo.resolver import Gazetteer, Resolution, Status, gazetteer, resolve

__all__ = ["Commune", "Gazetteer", "Resolution", "Status", "gazetteer", "resolve"]
