from citecheck.cli.main import run

run()
