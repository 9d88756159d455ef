from citecheck.cli.main import main

main()
