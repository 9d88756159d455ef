"""The command line: click commands, their shared options, configuration."""
