"""Flows: compose extract -> transform -> warehouse; the CLI and the demo site live here too."""
