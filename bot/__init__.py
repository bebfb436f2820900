"""The SPRO Centre-Val de Loire orientation bot: domain core, channels, tools."""
